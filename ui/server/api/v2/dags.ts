// /api/v2/dags: list (filters, order_by, paging), get one, pause/unpause one or many (the bulk PATCH selects with the
// list's filters, as Airflow's patch_dags does) through the engine's pause service, and delete one.
import { Hono } from 'hono';
import { z } from 'zod';
import { Conditions, page } from '../../../../engine/state/page.js';
import type { DagRow } from '../../../../engine/state/rows.js';
import { setDagPaused, setDagsPaused } from '../../../../engine/service/pause.js';
import { busyMessage, deleteDag } from '../../../../engine/service/delete-dag.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { ApiError } from '../../errors.js';
import { orderByQuery, orderBySql, pagingQuery } from '../../paging.js';
import { wherePattern } from '../../patterns.js';
import { jsonBody, qBool, qStrings, query } from '../../request.js';
import { dagResponse } from './shapes/dag.js';
import { RUN_AFTER_SQL } from './shapes/dag-run.js';

const lastRun = (col: string) => `(SELECT r.${col} FROM dag_run r WHERE r.dag_id = dag.dag_id ORDER BY ${RUN_AFTER_SQL} DESC, r.id DESC LIMIT 1)`;

const ORDER_COLUMNS: Record<string, string> = {
  dag_id: 'dag.dag_id',
  dag_display_name: 'dag.dag_id',
  next_dagrun: 'dag.next_dagrun',
  state: lastRun('state'),
  start_date: lastRun('start_date'),
  last_run_state: lastRun('state'),
  last_run_start_date: lastRun('start_date'),
};

/** The filters GET /dags and the bulk PATCH /dags share. */
const FilterQuery = {
  tags: qStrings.optional(),
  tags_match_mode: z.enum(['any', 'all']).optional(),
  owners: qStrings.optional(),
  dag_id_pattern: z.string().optional(),
  exclude_stale: qBool.default(true),
  paused: qBool.optional(),
};

const ListQuery = z.object({
  ...pagingQuery,
  ...FilterQuery,
  dag_display_name_pattern: z.string().optional(),
  has_import_errors: qBool.optional(),
  last_dag_run_state: z.enum(['queued', 'running', 'success', 'failed']).optional(),
  order_by: orderByQuery('dag_id'),
});

const PatchBody = z.strictObject({ is_paused: z.boolean() });
const PatchQuery = z.object({ update_mask: qStrings.optional() });
const BulkPatchQuery = z.object({ ...PatchQuery.shape, ...pagingQuery, ...FilterQuery });

export function dagNotFound(dagId: string): ApiError {
  return new ApiError(404, `DAG with dag_id: '${dagId}' not found`);
}

function dagConditions(q: z.infer<z.ZodObject<typeof FilterQuery>>): Conditions {
  const where = new Conditions()
    .when(q.exclude_stale ? true : null, 'dag.is_active = 1')
    .when(q.paused, 'dag.is_paused = ?', (v) => (v ? 1 : 0));
  wherePattern(where, 'dag.dag_id', q.dag_id_pattern);
  if (q.tags?.length) {
    const tags = JSON.stringify(q.tags);
    if (q.tags_match_mode === 'all') where.add('(SELECT count(DISTINCT value) FROM json_each(dag.tags) WHERE value IN (SELECT value FROM json_each(?))) = ?', tags, new Set(q.tags).size);
    else where.add('EXISTS (SELECT 1 FROM json_each(dag.tags) WHERE value IN (SELECT value FROM json_each(?)))', tags);
  }
  if (q.owners?.length) {
    where.add(`EXISTS (SELECT 1 FROM json_each(?) o WHERE instr(',' || replace(coalesce(dag.owners, ''), ' ', '') || ',', ',' || o.value || ',') > 0)`, JSON.stringify(q.owners));
  }
  return where;
}

/** Airflow's rule for both PATCHes: `update_mask` may only name is_paused. */
function checkUpdateMask(mask: string[] | undefined): void {
  if (mask?.some((f) => f !== 'is_paused')) throw new ApiError(400, 'Only `is_paused` field can be updated through the REST API');
}

export function dagRoutes({ store, dagsFolder }: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.get('/dags', (c) => {
    const q = query(c, ListQuery);
    const where = dagConditions(q)
      .when(q.has_import_errors, 'dag.has_import_errors = ?', (v) => (v ? 1 : 0))
      .when(q.last_dag_run_state, `${lastRun('state')} = ?`, (v) => v);
    wherePattern(where, 'dag.dag_id', q.dag_display_name_pattern);
    const { rows, total } = page<DagRow>(store.db, {
      from: 'FROM dag',
      where,
      orderBy: orderBySql(q.order_by, ORDER_COLUMNS, 'dag_id'),
      limit: q.limit,
      offset: q.offset,
    });
    return c.json({ dags: rows.map((r) => dagResponse(r, dagsFolder)), total_entries: total });
  });

  app.patch('/dags', async (c) => {
    const q = query(c, BulkPatchQuery);
    checkUpdateMask(q.update_mask);
    const body = await jsonBody(c, PatchBody);
    // The page is chosen and changed in one transaction, so what is answered is what was changed.
    const { rows, total } = store.tx(() => {
      const selected = page<DagRow>(store.db, { from: 'FROM dag', where: dagConditions(q), orderBy: 'dag.dag_id', limit: q.limit, offset: q.offset });
      return { rows: setDagsPaused(store, selected.rows.map((r) => r.dag_id), body.is_paused, c.get('caller').username), total: selected.total };
    });
    return c.json({ dags: rows.map((r) => dagResponse(r, dagsFolder)), total_entries: total });
  });

  app.get('/dags/:dag_id', (c) => {
    const row = store.dags.get(c.req.param('dag_id'));
    if (!row) throw dagNotFound(c.req.param('dag_id'));
    return c.json(dagResponse(row, dagsFolder));
  });

  app.patch('/dags/:dag_id', async (c) => {
    const dagId = c.req.param('dag_id');
    checkUpdateMask(query(c, PatchQuery).update_mask);
    const body = await jsonBody(c, PatchBody);
    const row = setDagPaused(store, dagId, body.is_paused, c.get('caller').username);
    if (!row) throw dagNotFound(dagId);
    return c.json(dagResponse(row, dagsFolder));
  });

  // The spec documents 200 with an empty object (Airflow's code sends 204 without a body; its client takes both).
  app.delete('/dags/:dag_id', (c) => {
    const dagId = c.req.param('dag_id');
    const r = deleteDag(store, dagId, c.get('caller').username);
    if (r.kind === 'not_found') throw dagNotFound(dagId);
    if (r.kind === 'busy') throw new ApiError(409, busyMessage(dagId, r));
    return c.json({});
  });

  return app;
}
