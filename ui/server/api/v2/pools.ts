// /api/v2/pools: list, get, create, patch, delete and bulk, through the engine's pool service (the one `dag pools`
// uses). Slots in use come from the task instances in each pool.
import { Hono } from 'hono';
import { z } from 'zod';
import { Conditions, page } from '../../../../engine/state/page.js';
import { POOLS_WITH_USAGE, withOccupancy, type PoolUsage } from '../../../../engine/state/pools.js';
import { DEFAULT_POOL, createPool, deletePool, updatePool, type PoolFields } from '../../../../engine/service/pools.js';
import { runBulk } from '../../../../engine/service/bulk.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { ApiError } from '../../errors.js';
import { likePattern, orderByQuery, orderBySql, pagingQuery } from '../../paging.js';
import { jsonBody, query } from '../../request.js';
import { updateMask } from './update-mask.js';
import { service } from '../../service-errors.js';
import { bulkBody } from './bulk-body.js';
import { nameField } from './name-field.js';
import { poolResponse } from './shapes/pool.js';

const ORDER_COLUMNS: Record<string, string> = { id: 'p.id', pool: 'p.pool', name: 'p.pool', slots: 'p.slots', open_slots: 'p.slots' };

const ListQuery = z.object({ ...pagingQuery, pool_name_pattern: z.string().optional(), order_by: orderByQuery('id') });

const PoolBody = z.strictObject({
  name: nameField('pool').pipe(z.string().max(256)),
  slots: z.number().int().min(-1),
  description: z.string().nullish(),
  include_deferred: z.boolean().default(false),
  team_name: z.string().max(50).nullish(),
});
type PoolBody = z.infer<typeof PoolBody>;

const PatchBody = z.strictObject({
  pool: nameField('pool').nullish(),
  slots: z.number().int().min(-1).nullish(),
  description: z.string().nullish(),
  include_deferred: z.boolean().nullish(),
  team_name: z.string().max(50).nullish(),
});
const PATCHABLE = ['pool', 'name', 'slots', 'description', 'include_deferred'];

const fields = (b: PoolBody): PoolFields => ({ name: b.name, slots: b.slots, description: b.description ?? null, includeDeferred: b.include_deferred });

export function poolRoutes({ store, dagBag }: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  // After a pool changed: the DAG warnings about tasks in pools that do not exist, as `dag pools set` refreshes them
  // (`/pools/*` matches /pools too).
  app.use('/pools/*', async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.res.status < 300 && dagBag) store.dagWarnings.refreshPools(await dagBag.all());
  });
  const owner = (c: { get(k: 'caller'): { username: string } }) => c.get('caller').username;
  const found = (name: string) => {
    const p = store.pools.usage(name);
    if (!p) throw new ApiError(404, `The Pool with name: \`${name}\` was not found`);
    return p;
  };

  app.get('/pools', (c) => {
    const q = query(c, ListQuery);
    const where = new Conditions().when(likePattern(q.pool_name_pattern), 'p.pool LIKE ?', (v) => v);
    const { rows, total } = page<PoolUsage>(store.db, {
      from: `FROM ${POOLS_WITH_USAGE} p`,
      where,
      orderBy: orderBySql(q.order_by, ORDER_COLUMNS, 'id'),
      limit: q.limit,
      offset: q.offset,
    });
    return c.json({ pools: rows.map((r) => poolResponse(withOccupancy(r))), total_entries: total });
  });

  app.get('/pools/:pool_name', (c) => c.json(poolResponse(found(c.req.param('pool_name')))));

  app.post('/pools', async (c) => {
    const body = await jsonBody(c, PoolBody);
    return c.json(poolResponse(service(() => createPool(store, fields(body), owner(c)))), 201);
  });

  app.patch('/pools/:pool_name', async (c) => {
    const name = c.req.param('pool_name');
    const body = await jsonBody(c, PatchBody);
    const mask = updateMask(c, PATCHABLE);
    if (name === DEFAULT_POOL && mask?.some((m) => m !== 'slots' && m !== 'include_deferred')) {
      throw new ApiError(400, 'Only slots and included_deferred can be modified on Default Pool');
    }
    const want = (f: string) => !mask || mask.includes(f) || (f === 'pool' && mask.includes('name'));
    const pick = <T>(f: string, v: T | null | undefined) => (want(f) && v !== undefined && v !== null ? v : undefined);
    const change = {
      rename: pick('pool', body.pool),
      slots: pick('slots', body.slots),
      description: want('description') && body.description !== undefined ? body.description : undefined,
      includeDeferred: pick('include_deferred', body.include_deferred),
    };
    return c.json(poolResponse(service(() => updatePool(store, name, change, owner(c)))));
  });

  app.delete('/pools/:pool_name', (c) => {
    service(() => deletePool(store, c.req.param('pool_name'), owner(c)));
    return c.body(null, 204);
  });

  app.patch('/pools', async (c) => {
    const body = await jsonBody(c, bulkBody(PoolBody));
    const who = owner(c);
    const result = runBulk<PoolBody>(store, body.actions, {
      what: 'pools with these pool names',
      key: (p) => p.name,
      exists: (name) => store.pools.get(name) !== undefined,
      create: (p, overwrite) => createPool(store, fields(p), who, overwrite),
      update: (p, mask) => {
        const m = mask ?? ['slots', 'description', 'include_deferred'];
        updatePool(store, p.name, {
          slots: m.includes('slots') ? p.slots : undefined,
          description: m.includes('description') ? (p.description ?? null) : undefined,
          includeDeferred: m.includes('include_deferred') ? p.include_deferred : undefined,
        }, who);
      },
      delete: (name) => deletePool(store, name, who),
    });
    return c.json(result);
  });

  return app;
}
