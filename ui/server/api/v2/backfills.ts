// /api/v2/backfills: create (and dry-run), list per DAG, get, pause, unpause, cancel, through the engine's backfill
// service (the decisions `dag backfill` makes). The web server only writes the backfill and its queued runs; the
// scheduler runs them.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { Conditions, page } from '../../../../engine/state/page.js';
import type { BackfillRow } from '../../../../engine/state/rows.js';
import type { DagSpec } from '../../../../engine/types.js';
import { UserError } from '../../../../engine/types.js';
import { cancelBackfill, createBackfill, dryRunBackfill, getBackfill, setBackfillPaused, type BackfillRequest } from '../../../../engine/service/backfill.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { ApiError, validationError } from '../../errors.js';
import { orderByQuery, orderBySql, pagingQuery } from '../../paging.js';
import { jsonBody, query, validate } from '../../request.js';
import { service } from '../../service-errors.js';
import { apiDate } from './shapes/dates.js';
import { backfillResponse } from './shapes/backfill.js';

const dateTime = z.iso.datetime({ offset: true });

const PostBody = z.strictObject({
  dag_id: z.string(),
  from_date: dateTime,
  to_date: dateTime,
  run_backwards: z.boolean().default(false),
  dag_run_conf: z.record(z.string(), z.unknown()).default({}),
  reprocess_behavior: z.enum(['failed', 'completed', 'none']).default('none'),
  max_active_runs: z.number().int().min(1).default(10),
  run_on_latest_version: z.boolean().default(true),
});
type PostBody = z.infer<typeof PostBody>;

const ListQuery = z.object({ dag_id: z.string(), ...pagingQuery, order_by: orderByQuery('id') });
const IdPath = z.object({ backfill_id: z.coerce.number().int().min(0) });
const ORDER_COLUMNS: Record<string, string> = { id: 'id', dag_id: 'dag_id', from_date: 'from_date', to_date: 'to_date', created_at: 'created_at', completed_at: 'completed_at' };

export function backfillRoutes({ store, dagBag }: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  async function request(c: Context<AuthEnv>, b: PostBody): Promise<BackfillRequest> {
    const row = store.dags.get(b.dag_id);
    const dag: DagSpec | undefined = row && row.is_active && !row.has_import_errors ? await dagBag?.get(b.dag_id) : undefined;
    if (!dag) throw new ApiError(404, `Could not find dag ${b.dag_id}`);
    return {
      dag,
      from: new Date(b.from_date),
      to: new Date(b.to_date),
      labels: { from: `from_date ${b.from_date}`, to: `to_date ${b.to_date}` },
      runBackwards: b.run_backwards,
      conf: b.dag_run_conf,
      reprocess: b.reprocess_behavior,
      maxActiveRuns: b.max_active_runs,
      user: c.get('caller').username,
    };
  }
  const id = (c: Context) => validate(IdPath, c.req.param(), 'path').backfill_id;

  app.get('/backfills', (c) => {
    const q = query(c, ListQuery);
    const where = new Conditions().add('dag_id = ?', q.dag_id);
    const { rows, total } = page<BackfillRow>(store.db, { from: 'FROM backfill', where, orderBy: orderBySql(q.order_by, ORDER_COLUMNS, 'id'), limit: q.limit, offset: q.offset });
    return c.json({ backfills: rows.map(backfillResponse), total_entries: total });
  });

  app.post('/backfills', async (c) => {
    const r = await request(c, await jsonBody(c, PostBody));
    return c.json(backfillResponse(service(() => createBackfill(store, r))));
  });

  app.post('/backfills/dry_run', async (c) => {
    const r = await request(c, await jsonBody(c, PostBody));
    let infos;
    try {
      infos = dryRunBackfill(store, r);
    } catch (err) {
      // The spec gives a dry run no 400: a range that cannot be backfilled is a bad body.
      if (err instanceof UserError) throw validationError([{ loc: ['body'], msg: err.message, type: 'value_error' }]);
      throw err;
    }
    const backfills = infos.map((i) => ({ logical_date: apiDate(i.logicalDate.toISOString()), partition_key: null, partition_date: null }));
    return c.json({ backfills, total_entries: backfills.length });
  });

  app.get('/backfills/:backfill_id', (c) => c.json(backfillResponse(service(() => getBackfill(store, id(c))))));
  app.put('/backfills/:backfill_id/pause', (c) => c.json(backfillResponse(service(() => setBackfillPaused(store, id(c), true, c.get('caller').username)))));
  app.put('/backfills/:backfill_id/unpause', (c) => c.json(backfillResponse(service(() => setBackfillPaused(store, id(c), false, c.get('caller').username)))));
  app.put('/backfills/:backfill_id/cancel', (c) => c.json(backfillResponse(service(() => cancelBackfill(store, id(c), c.get('caller').username)))));

  return app;
}
