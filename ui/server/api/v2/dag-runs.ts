// /api/v2/dags/{dag_id}/dagRuns: list (dag_id `~` for every DAG) and get one.
import { Hono } from 'hono';
import { z } from 'zod';
import { Conditions, page } from '../../../../engine/state/page.js';
import type { DagRunRow } from '../../../../engine/state/rows.js';
import type { Store } from '../../../../engine/state/store.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { ApiError } from '../../errors.js';
import { likePattern, orderByQuery, orderBySql, pagingQuery } from '../../paging.js';
import { qStrings, query } from '../../request.js';
import { applyRanges, dateRangeQuery, numberRangeQuery } from './ranges.js';
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

const ListQuery = z.object({
  ...pagingQuery,
  ...dateRangeQuery(DATE_FIELDS),
  ...numberRangeQuery(['duration'] as const),
  run_type: qStrings.optional(),
  state: qStrings.optional(),
  run_id_pattern: z.string().optional(),
  dag_id_pattern: z.string().optional(),
  order_by: orderByQuery('id'),
});

export function runNotFound(dagId: string, runId: string): ApiError {
  return new ApiError(404, `The DagRun with dag_id: \`${dagId}\` and run_id: \`${runId}\` was not found`);
}

/** 404 unless `dagId` is `~` or a DAG the state database knows. */
export function requireDagOrAll(store: Store, dagId: string): void {
  if (dagId !== '~' && !store.dags.get(dagId)) throw dagNotFound(dagId);
}

export function dagRunRoutes({ store }: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.get('/dags/:dag_id/dagRuns', (c) => {
    const dagId = c.req.param('dag_id');
    const q = query(c, ListQuery);
    requireDagOrAll(store, dagId);
    const where = new Conditions()
      .when(dagId === '~' ? null : dagId, 'r.dag_id = ?', (v) => v)
      .in('r.state', q.state)
      .in('r.run_type', q.run_type)
      .when(likePattern(q.run_id_pattern), 'r.run_id LIKE ?', (v) => v)
      .when(likePattern(q.dag_id_pattern), 'r.dag_id LIKE ?', (v) => v);
    applyRanges(where, q, { ...Object.fromEntries(DATE_FIELDS.map((f) => [f, ORDER_COLUMNS[f]])), duration: DURATION_SQL });
    const { rows, total } = page<DagRunRow>(store.db, {
      from: 'FROM dag_run r',
      select: 'r.*',
      where,
      orderBy: orderBySql(q.order_by, ORDER_COLUMNS, 'id'),
      limit: q.limit,
      offset: q.offset,
    });
    return c.json({ dag_runs: rows.map(dagRunResponse), total_entries: total });
  });

  app.get('/dags/:dag_id/dagRuns/:run_id', (c) => {
    const { dag_id, run_id } = c.req.param();
    const row = store.runs.get(dag_id, run_id);
    if (!row) throw runNotFound(dag_id, run_id);
    return c.json(dagRunResponse(row));
  });

  return app;
}
