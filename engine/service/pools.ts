// Slot pools: what `dag pools ...` and /api/v2/pools both do, each change recorded in the audit log. Names are
// checked by the one name validator; default_pool can be resized but not renamed or deleted (Airflow's
// api_fastapi/core_api/routes/public/pools.py).
import { requireName } from '../dag/names.js';
import { UserError } from '../types.js';
import type { Store } from '../state/store.js';
import { DEFAULT_POOL, type PoolChange, type PoolUsage } from '../state/pools.js';
import { ConflictError, NotFoundError } from './errors.js';

export { DEFAULT_POOL };

export interface PoolFields extends PoolChange {
  name: string;
  slots: number;
}

const notFound = (name: string) => new NotFoundError(`The Pool with name: \`${name}\` was not found`, 'see the pools with dag pools list');

/** Create or resize a pool (`dag pools set`): the description is kept when none is given. */
export function setPool(store: Store, name: string, slots: number, description?: string, owner?: string): PoolUsage {
  requireName('pool', name);
  return store.tx(() => {
    if (store.pools.get(name)) store.pools.update(name, { slots, description: description ?? undefined });
    else store.pools.insert(name, slots, description ?? null, false);
    store.events.add({ event: 'pool_set', owner, extra: { pool: name, slots } });
    return store.pools.usage(name)!;
  });
}

/** A new pool; a pool of that name already there is a ConflictError unless `overwrite`. */
export function createPool(store: Store, p: PoolFields, owner?: string, overwrite = false): PoolUsage {
  requireName('pool', p.name);
  return store.tx(() => {
    if (store.pools.get(p.name)) {
      if (!overwrite) throw new ConflictError(`The pool with name: \`${p.name}\` already exists`);
      store.pools.update(p.name, { slots: p.slots, description: p.description ?? null, includeDeferred: p.includeDeferred ?? false });
    } else store.pools.insert(p.name, p.slots, p.description ?? null, p.includeDeferred ?? false);
    store.events.add({ event: 'pool_create', owner, extra: { pool: p.name, slots: p.slots } });
    return store.pools.usage(p.name)!;
  });
}

/** Change some fields of a pool (a rename too, except of default_pool). */
export function updatePool(store: Store, name: string, c: PoolChange & { rename?: string }, owner?: string): PoolUsage {
  if (name === DEFAULT_POOL && c.rename !== undefined && c.rename !== DEFAULT_POOL) {
    throw new UserError('Only slots and included_deferred can be modified on Default Pool');
  }
  if (c.rename !== undefined) requireName('pool', c.rename);
  return store.tx(() => {
    if (c.rename !== undefined && c.rename !== name && store.pools.get(c.rename)) throw new ConflictError(`The pool with name: \`${c.rename}\` already exists`);
    if (!store.pools.update(name, c)) throw notFound(name);
    const now = c.rename ?? name;
    store.events.add({ event: 'pool_update', owner, extra: { pool: now, ...(c.rename && c.rename !== name ? { renamed_from: name } : {}), ...(c.slots !== undefined ? { slots: c.slots } : {}) } });
    return store.pools.usage(now)!;
  });
}

export function deletePool(store: Store, name: string, owner?: string): void {
  if (name === DEFAULT_POOL) throw new UserError("Default Pool can't be deleted", `set its slots instead: dag pools set ${DEFAULT_POOL} N`);
  store.tx(() => {
    if (!store.pools.delete(name)) throw notFound(name);
    store.events.add({ event: 'pool_delete', owner, extra: { pool: name } });
  });
}
