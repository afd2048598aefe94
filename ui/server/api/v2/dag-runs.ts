// /api/v2/dags/{dag_id}/dagRuns: list (dag_id `~` for every DAG, also as POST .../list with a body) and get one.
// Trigger, patch, delete, clear and wait are in dag-run-actions.ts and dag-run-wait.ts.
import { Hono } from 'hono';
import { z } from 'zod';
import { Conditions, page } from '../../../../engine/state/page.js';
import type { DagRunRow } from '../../../../engine/state/rows.js';
import type { Store } from '../../../../engine/state/store.js';
import { DAG_RUN_STATES } from '../../../../engine/types.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { ApiError } from '../../errors.js';
import { likePattern, orderByQuery, orderBySql, pagingQuery } from '../../paging.js';
import { jsonBody, qStrings, query } from '../../request.js';
import { applyRanges, dateRangeBody, dateRangeQuery, numberRangeBody, numberRangeQuery } from './ranges.js';
import { dagRunResponse, RUN_AFTER_SQL } from './shapes/dag-run.js';
import { dagNotFound } from './dags.js';

const DURATION_SQL = '((julianday(r.end_date) - julianday(r.start_date)) * 86400.0)';

const ORDER_COLUMNS: Record<string, string> = {
  id: 'r.id',
  state: 'r.state',
  dag_id: 'r.dag_id',
  run_id: 'r.run_id',
  dag_run_id: 'r.run_id',
  logical_date: 'r.logical_date',
  run_after: RUN_AFTER_SQL,
  start_date: 'r.start_date',
  end_date: 'r.end_date',
  updated_at: 'r.updated_at',
  conf: 'r.conf',
  duration: DURATION_SQL,
};

const DATE_FIELDS = ['run_after', 'logical_date', 'start_date', 'end_date', 'updated_at'] as const;
const RANGE_COLUMNS = { ...Object.fromEntries(DATE_FIELDS.map((f) => [f, ORDER_COLUMNS[f]])), duration: DURATION_SQL };

const ListQuery = z.object({
  ...pagingQuery,
  ...dateRangeQuery(DATE_FIELDS),
  ...numberRangeQuery(['duration'] as const),
  run_type: qStrings.optional(),
  state: qStrings.optional(),
  run_id_pattern: z.string().optional(),
  dag_id_pattern: z.string().optional(),
  triggering_user_name_pattern: z.string().optional(),
  conf_contains: z.string().optional(),
  // Windsock keeps no DAG versions, bundle versions or partition keys (a run's are [], null and null): in Airflow
  // these filters then select no run, and so they do here.
  dag_version: z.array(z.coerce.number().int()).optional(),
  bundle_version: z.string().optional(),
  partition_key_pattern: z.string().optional(),
  order_by: orderByQuery('id'),
});

/** DAGRunsBatchBody: the same filters in a body, for POST /dags/~/dagRuns/list. */
const BatchBody = z.strictObject({
  dag_ids: z.array(z.string()).nullish(),
  states: z.array(z.enum(DAG_RUN_STATES).nullable()).nullish(),
  ...dateRangeBody(['logical_date', 'run_after', 'start_date', 'end_date'] as const),
  ...numberRangeBody(['duration'] as const),
  conf_contains: z.string().nullish(),
  order_by: z.string().nullish(),
  page_offset: z.number().int().min(0).default(0),
  page_limit: z.number().int().min(0).default(100),
});

export function runNotFound(dagId: string, runId: string): ApiError {
  return new ApiError(404, `The DagRun with dag_id: \`${dagId}\` and run_id: \`${runId}\` was not found`);
}

/** 404 unless `dagId` is `~` or a DAG the state database knows. */
export function requireDagOrAll(store: Store, dagId: string): void {
  if (dagId !== '~' && !store.dags.get(dagId)) throw dagNotFound(dagId);
}

export function requireRun(store: Store, dagId: string, runId: string): DagRunRow {
  const row = store.runs.get(dagId, runId);
  if (!row) throw runNotFound(dagId, runId);
  return row;
}

interface RunFilters {
  dagIds?: string[] | null;
  states?: (string | null)[] | null;
  runTypes?: string[];
  patterns?: { col: string; value: string | null | undefined }[];
  confContains?: string | null;
  /** A filter on what windsock does not keep (DAG versions, bundle versions, partition keys): no run matches. */
  unkept?: boolean;
  ranges: Record<string, unknown>;
  orderBy: string[];
  limit: number;
  offset: number;
}

function listRuns(store: Store, f: RunFilters) {
  const where = new Conditions()
    .in('r.dag_id', f.dagIds)
    .in('r.state', f.states?.filter((s) => s !== null))
    .in('r.run_type', f.runTypes)
    .when(f.confContains || null, "instr(r.conf, ?) > 0", (v) => v);
  if (f.states?.length && f.states.every((s) => s === null)) where.add('0'); // a run always has a state
  if (f.unkept) where.add('0');
  for (const p of f.patterns ?? []) where.when(likePattern(p.value), `${p.col} LIKE ?`, (v) => v);
  applyRanges(where, f.ranges, RANGE_COLUMNS);
  const { rows, total } = page<DagRunRow>(store.db, {
    from: 'FROM dag_run r',
    select: 'r.*',
    where,
    orderBy: orderBySql(f.orderBy, ORDER_COLUMNS, 'id'),
    limit: f.limit,
    offset: f.offset,
  });
  return { dag_runs: rows.map(dagRunResponse), total_entries: total };
}

export function dagRunRoutes({ store }: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.get('/dags/:dag_id/dagRuns', (c) => {
    const dagId = c.req.param('dag_id');
    const q = query(c, ListQuery);
    requireDagOrAll(store, dagId);
    return c.json(listRuns(store, {
      dagIds: dagId === '~' ? null : [dagId],
      states: q.state,
      runTypes: q.run_type,
      patterns: [
        { col: 'r.run_id', value: q.run_id_pattern },
        { col: 'r.dag_id', value: q.dag_id_pattern },
        { col: 'r.triggering_user_name', value: q.triggering_user_name_pattern },
      ],
      confContains: q.conf_contains,
      unkept: Boolean(q.dag_version?.length) || q.bundle_version !== undefined || likePattern(q.partition_key_pattern) !== null,
      ranges: q,
      orderBy: q.order_by,
      limit: q.limit,
      offset: q.offset,
    }));
  });

  app.post('/dags/:dag_id/dagRuns/list', async (c) => {
    if (c.req.param('dag_id') !== '~') throw new ApiError(422, [{ loc: ['path', 'dag_id'], msg: "Input should be '~'", type: 'literal_error', input: c.req.param('dag_id') }]);
    const b = await jsonBody(c, BatchBody);
    return c.json(listRuns(store, {
      dagIds: b.dag_ids,
      states: b.states,
      confContains: b.conf_contains,
      ranges: b,
      orderBy: b.order_by ? [b.order_by] : ['id'],
      limit: b.page_limit,
      offset: b.page_offset,
    }));
  });

  app.get('/dags/:dag_id/dagRuns/:run_id', (c) => {
    const { dag_id, run_id } = c.req.param();
    return c.json(dagRunResponse(requireRun(store, dag_id, run_id)));
  });

  return app;
}
