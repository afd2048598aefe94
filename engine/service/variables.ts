// Airflow Variables: what `dag variables ...` and /api/v2/variables both do, each change in the audit log. Values
// are stored as text: a string as is, anything else as JSON (so `{{ var.json.x }}` reads it back).
import { requireName } from '../dag/names.js';
import type { Store } from '../state/store.js';
import type { VariableRow } from '../state/rows.js';
import { ConflictError, NotFoundError } from './errors.js';

export interface VariableFields {
  key: string;
  value: unknown;
  description?: string | null;
}

/** The text stored for a value: a string as it is, anything else as JSON. */
export function storedText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export const variableNotFound = (key: string) => new NotFoundError(`The Variable with key: \`${key}\` was not found`, 'see the variables with dag variables list');

export function getVariable(store: Store, key: string): VariableRow {
  const row = store.variables.get(key);
  if (!row) throw variableNotFound(key);
  return row;
}

/** Create or replace (`dag variables set`, and create with overwrite); a new key without overwrite must be new. */
export function setVariable(store: Store, v: VariableFields, o: { owner?: string; mustBeNew?: boolean } = {}): VariableRow {
  requireName('variable key', v.key);
  return store.tx(() => {
    if (o.mustBeNew && store.variables.get(v.key)) throw new ConflictError(`The Variable with key: \`${v.key}\` already exists`);
    store.variables.upsert(v.key, storedText(v.value), v.description);
    store.events.add({ event: 'variable_set', owner: o.owner, extra: { key: v.key } });
    return store.variables.get(v.key)!;
  });
}

/** Change an existing variable: its value, description, or key (a rename). */
export function updateVariable(store: Store, key: string, c: { value?: unknown; description?: string | null; rename?: string }, owner?: string): VariableRow {
  if (c.rename !== undefined) requireName('variable key', c.rename);
  return store.tx(() => {
    const row = getVariable(store, key);
    const to = c.rename ?? key;
    if (to !== key) {
      if (store.variables.get(to)) throw new ConflictError(`The Variable with key: \`${to}\` already exists`);
      store.variables.rename(key, to);
    }
    store.variables.upsert(to, c.value === undefined ? row.val : storedText(c.value), c.description);
    store.events.add({ event: 'variable_update', owner, extra: { key: to, ...(to !== key ? { renamed_from: key } : {}) } });
    return store.variables.get(to)!;
  });
}

export function deleteVariable(store: Store, key: string, owner?: string): void {
  store.tx(() => {
    if (!store.variables.delete(key)) throw variableNotFound(key);
    store.events.add({ event: 'variable_delete', owner, extra: { key } });
  });
}

export type OnExisting = 'overwrite' | 'fail' | 'skip';

/**
 * `dag variables import FILE`: a JSON object of key -> value (Airflow's `airflow variables import`). Keys that
 * exist are overwritten, skipped, or fail the whole import; nothing is written when a key is bad.
 */
export function importVariables(store: Store, entries: Record<string, unknown>, onExisting: OnExisting, owner?: string): { written: string[]; skipped: string[] } {
  for (const key of Object.keys(entries)) requireName('variable key', key);
  return store.tx(() => {
    const existing = Object.keys(entries).filter((k) => store.variables.get(k));
    if (onExisting === 'fail' && existing.length) throw new ConflictError(`these variables already exist: ${existing.join(', ')}`, 'pass --action-on-existing-key overwrite or skip');
    const skipped = onExisting === 'skip' ? existing : [];
    const written = Object.keys(entries).filter((k) => !skipped.includes(k));
    for (const k of written) store.variables.upsert(k, storedText(entries[k]));
    if (written.length) store.events.add({ event: 'variables_import', owner, extra: { keys: written } });
    return { written, skipped };
  });
}

/** Every variable as key -> value, values that are JSON parsed (Airflow's `airflow variables export`). */
export function exportVariables(store: Store): Record<string, unknown> {
  return Object.fromEntries(store.variables.list().map((v) => [v.key, parseOrText(v.val)]));
}

function parseOrText(val: string): unknown {
  try {
    return JSON.parse(val);
  } catch {
    return val;
  }
}
