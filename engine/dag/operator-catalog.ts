// What the loader needs to know about the registry's operators, worked out once per registry (not per file):
// each operator's argument names, and the union of them all (keys that `default_args` may pass to operators).
import type { z } from 'zod';
import type { OperatorDefinition } from '../operators/api.js';
import type { OperatorRegistry } from '../operators/registry.js';
import { excerpt } from './excerpt.js';
import { closest } from './suggest.js';

export interface OperatorInfo {
  def: OperatorDefinition;
  /** Argument names when the args schema is an object schema, else null (then default_args pass nothing). */
  argKeys: ReadonlySet<string> | null;
}

export class OperatorCatalog {
  private readonly infos = new Map<OperatorDefinition, OperatorInfo>();
  /** Every argument name of every operator. */
  readonly allArgKeys = new Set<string>();
  private readonly size: number;

  private constructor(readonly registry: OperatorRegistry) {
    const names = registry.names();
    this.size = names.length;
    for (const def of registry.list()) {
      const keys = objectKeys(def);
      this.infos.set(def, { def, argKeys: keys });
      for (const k of keys ?? []) this.allArgKeys.add(k);
    }
  }

  private static readonly cache = new WeakMap<OperatorRegistry, OperatorCatalog>();

  /** The catalog of a registry (rebuilt if operators were registered since). */
  static of(registry: OperatorRegistry): OperatorCatalog {
    const hit = OperatorCatalog.cache.get(registry);
    if (hit && hit.size === registry.names().length) return hit;
    const fresh = new OperatorCatalog(registry);
    OperatorCatalog.cache.set(registry, fresh);
    return fresh;
  }

  resolve(name: string): OperatorInfo | undefined {
    const def = this.registry.resolve(name);
    return def ? this.infos.get(def) : undefined;
  }

  /** "unknown operator 'X' (close names: ...)" */
  unknownMessage(name: string): string {
    // one suggestion per operator: the closest of its names
    const seen = new Set<OperatorDefinition>();
    const close = closest(name, this.registry.names(), 10).filter((n) => {
      const def = this.registry.resolve(n)!;
      return seen.has(def) ? false : (seen.add(def), true);
    });
    const known = this.registry.list().map((d) => d.name);
    let msg = `unknown operator '${excerpt(name)}'`;
    if (close.length === 1) msg += ` (did you mean '${close[0]}'?)`;
    else if (close.length) msg += ` (close names: ${close.slice(0, 3).join(', ')})`;
    else msg += `: the registered operators are ${known.join(', ')}`;
    if (/python/i.test(name) && !close.length) msg += '; windsock cannot run Python callables: call a script from a bash task instead';
    return msg;
  }
}

function objectKeys(def: OperatorDefinition): Set<string> | null {
  // `type` and `shape` are zod 4's public API, and work whichever zod copy a plugin's schema was built with.
  return def.args.type === 'object' ? new Set(Object.keys((def.args as z.ZodObject).shape)) : null;
}
