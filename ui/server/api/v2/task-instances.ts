// GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances (either id `~` for all).
import { Hono } from 'hono';
import { z } from 'zod';
import { Conditions, page } from '../../../../engine/state/page.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { likePattern, orderByQuery, orderBySql, pagingQuery } from '../../paging.js';
import { qStrings, query } from '../../request.js';
import { applyRanges, dateRangeQuery, numberRangeQuery } from './ranges.js';
import { RUN_AFTER_SQL } from './shapes/dag-run.js';
import { TI_SELECT, taskInstanceResponse, type TaskInstanceWithRun } from './shapes/task-instance.js';
import { requireDagOrAll, runNotFound } from './dag-runs.js';

const ORDER_COLUMNS: Record<string, string> = {
  id: 'ti.rowid',
  state: 'ti.state',
  duration: 'ti.duration',
  start_date: 'ti.start_date',
  end_date: 'ti.end_date',
  map_index: 'ti.map_index',
  try_number: 'ti.try_number',
  logical_date: 'r.logical_date',
  run_after: RUN_AFTER_SQL,
  data_interval_start: 'r.data_interval_start',
  data_interval_end: 'r.data_interval_end',
  rendered_map_index: 'ti.map_index',
  operator: 'ti.operator',
  task_id: 'ti.task_id',
  dag_id: 'ti.dag_id',
  run_id: 'ti.run_id',
  pool: 'ti.pool',
  updated_at: 'ti.updated_at',
};

const DATE_FIELDS = ['run_after', 'logical_date', 'start_date', 'end_date', 'updated_at'] as const;

const ListQuery = z.object({
  ...pagingQuery,
  ...dateRangeQuery(DATE_FIELDS),
  ...numberRangeQuery(['duration'] as const),
  task_id: z.string().optional(),
  state: qStrings.optional(),
  pool: qStrings.optional(),
  queue: qStrings.optional(),
  operator: qStrings.optional(),
  try_number: z.array(z.coerce.number().int()).optional(),
  map_index: z.array(z.coerce.number().int()).optional(),
  dag_id_pattern: z.string().optional(),
  run_id_pattern: z.string().optional(),
  task_display_name_pattern: z.string().optional(),
  order_by: orderByQuery('map_index'),
});

export function taskInstanceRoutes({ store }: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.get('/dags/:dag_id/dagRuns/:run_id/taskInstances', (c) => {
    const { dag_id, run_id } = c.req.param();
    const q = query(c, ListQuery);
    requireDagOrAll(store, dag_id);
    if (dag_id !== '~' && run_id !== '~' && !store.runs.get(dag_id, run_id)) throw runNotFound(dag_id, run_id);
    const states = q.state?.map((s) => (s === 'none' || s === 'null' || s === 'no_status' ? null : s));
    const where = new Conditions()
      .when(dag_id === '~' ? null : dag_id, 'ti.dag_id = ?', (v) => v)
      .when(run_id === '~' ? null : run_id, 'ti.run_id = ?', (v) => v)
      .when(q.task_id, 'ti.task_id = ?', (v) => v)
      .in('ti.pool', q.pool)
      .in('ti.queue', q.queue)
      .in('ti.operator', q.operator)
      .in('ti.try_number', q.try_number)
      .in('ti.map_index', q.map_index)
      .when(likePattern(q.dag_id_pattern), 'ti.dag_id LIKE ?', (v) => v)
      .when(likePattern(q.run_id_pattern), 'ti.run_id LIKE ?', (v) => v)
      .when(likePattern(q.task_display_name_pattern), 'ti.task_id LIKE ?', (v) => v);
    if (states?.length) {
      where.add('(ti.state IN (SELECT value FROM json_each(?)) OR (? AND ti.state IS NULL))', JSON.stringify(states.filter((s) => s !== null)), states.includes(null) ? 1 : 0);
    }
    applyRanges(where, q, { ...Object.fromEntries(DATE_FIELDS.map((f) => [f, ORDER_COLUMNS[f]])), updated_at: 'ti.updated_at', duration: 'ti.duration' });
    const { rows, total } = page<TaskInstanceWithRun>(store.db, {
      from: 'FROM task_instance ti JOIN dag_run r ON r.dag_id = ti.dag_id AND r.run_id = ti.run_id',
      select: TI_SELECT,
      where,
      orderBy: orderBySql(q.order_by, ORDER_COLUMNS, 'id'),
      limit: q.limit,
      offset: q.offset,
    });
    return c.json({ task_instances: rows.map(taskInstanceResponse), total_entries: total });
  });

  return app;
}
