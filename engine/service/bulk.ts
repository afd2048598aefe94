// Bulk create / update / delete of named entities (PATCH /api/v2/pools, PATCH /api/v2/variables), as Airflow 3's
// BulkService does it (api_fastapi/core_api/services/public/pools.py, variables.py): each action is checked as a
// whole first, so an action that fails (a name that exists under action_on_existence=fail, a missing one under
// action_on_non_existence=fail) changes nothing and reports one error; the others still apply.
import type { Store } from '../state/store.js';
import { UserError } from '../types.js';
import { ConflictError, NotFoundError } from './errors.js';

export type BulkAction<T> =
  | { action: 'create'; entities: T[]; action_on_existence: 'fail' | 'skip' | 'overwrite' }
  | { action: 'update'; entities: T[]; update_mask?: string[] | null; action_on_non_existence: 'fail' | 'skip' }
  | { action: 'delete'; entities: (string | T)[]; action_on_non_existence: 'fail' | 'skip' };

export interface BulkActionResult {
  success: string[];
  errors: { error: string; status_code: number }[];
}

export interface BulkTarget<T> {
  /** What the entities are called in messages ("pool names", "keys"). */
  what: string;
  key(entity: T): string;
  exists(key: string): boolean;
  create(entity: T, overwrite: boolean): void;
  update(entity: T, mask: string[] | null | undefined): void;
  delete(key: string): void;
}

export function runBulk<T>(store: Store, actions: BulkAction<T>[], target: BulkTarget<T>): Record<'create' | 'update' | 'delete', BulkActionResult> {
  const results = { create: empty(), update: empty(), delete: empty() };
  store.tx(() => {
    for (const a of actions) {
      const r = results[a.action];
      try {
        // A savepoint per action: one that fails half-way (default_pool in a delete) leaves nothing of itself behind.
        r.success.push(...store.db.transaction(() => apply(a, target))());
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        r.errors.push({ error: err.message, status_code: err instanceof NotFoundError ? 404 : err instanceof ConflictError ? 409 : 400 });
      }
    }
  });
  return results;
}

function apply<T>(a: BulkAction<T>, t: BulkTarget<T>): string[] {
  const keyOf = (e: string | T) => (typeof e === 'string' ? e : t.key(e));
  const keys = a.entities.map(keyOf);
  const existing = keys.filter((k) => t.exists(k));
  const missing = keys.filter((k) => !t.exists(k));
  const list = (ks: string[]) => `{${[...new Set(ks)].map((k) => `'${k}'`).join(', ')}}`;
  if (a.action === 'create') {
    if (a.action_on_existence === 'fail' && existing.length) throw new ConflictError(`The ${t.what}: ${list(existing)} already exist.`);
    const skip = a.action_on_existence === 'skip' ? new Set(existing) : new Set<string>();
    const done: string[] = [];
    for (const e of a.entities) if (!skip.has(t.key(e))) (t.create(e, a.action_on_existence === 'overwrite'), done.push(t.key(e)));
    return done;
  }
  if (a.action_on_non_existence === 'fail' && missing.length) throw new NotFoundError(`The ${t.what}: ${list(missing)} were not found.`);
  const present = a.entities.filter((e) => t.exists(keyOf(e)));
  for (const e of present) {
    if (a.action === 'update') t.update(e as T, a.update_mask);
    else t.delete(keyOf(e));
  }
  return present.map(keyOf);
}

const empty = (): BulkActionResult => ({ success: [], errors: [] });
