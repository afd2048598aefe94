// The operator registry: resolves the `operator:` of a DAG file (name or alias) to its definition.
import type { OperatorDefinition } from './api.js';

export class OperatorRegistry {
  private readonly byName = new Map<string, OperatorDefinition>();
  private readonly canonical = new Map<string, OperatorDefinition>();

  register(def: OperatorDefinition): this {
    for (const name of [def.name, ...(def.aliases ?? [])]) {
      const existing = this.byName.get(name);
      if (existing && existing !== def) throw new Error(`operator name "${name}" is registered twice`);
      this.byName.set(name, def);
    }
    this.canonical.set(def.name, def);
    return this;
  }

  registerAll(defs: Iterable<OperatorDefinition>): this {
    for (const d of defs) this.register(d);
    return this;
  }

  /** The definition for a name or alias, or undefined. */
  resolve(name: string): OperatorDefinition | undefined {
    return this.byName.get(name);
  }

  /** Canonical operators, sorted by name. */
  list(): OperatorDefinition[] {
    return [...this.canonical.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Every accepted name and alias, sorted (for "did you mean" messages and the JSON Schema). */
  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}
