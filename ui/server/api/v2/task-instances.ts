// /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances: list (either id `~` for all, also as POST .../list
// with a body), get one, its tries. Patch and clear are in task-instance-actions.ts, dependencies in
// task-dependencies.ts.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { Conditions, page } from '../../../../engine/state/page.js';
import type { Store } from '../../../../engine/state/store.js';
import type { TaskInstanceRow } from '../../../../engine/state/rows.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { ApiError } from '../../errors.js';
import { likePattern, orderByQuery, orderBySql, pagingQuery } from '../../paging.js';
import { jsonBody, qStrings, query } from '../../request.js';
import { applyRanges, dateRangeBody, dateRangeQuery, numberRangeBody, numberRangeQuery } from './ranges.js';
import { RUN_AFTER_SQL } from './shapes/dag-run.js';
import { TI_SELECT, TI_STATES, taskInstanceResponse, type TaskInstanceWithRun } from './shapes/task-instance.js';
import { taskInstanceTries } from './shapes/task-instance-try.js';
import { requireDagOrAll, requireRun, runNotFound } from './dag-runs.js';
import { withRun } from './task-instance-rows.js';

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
const RANGE_COLUMNS = { ...Object.fromEntries(DATE_FIELDS.map((f) => [f, ORDER_COLUMNS[f]])), updated_at: 'ti.updated_at', duration: 'ti.duration' };

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


/** TaskInstancesBatchBody, for POST /dags/~/dagRuns/~/taskInstances/list. */
const BatchBody = z.strictObject({
  dag_ids: z.array(z.string()).nullish(),
  dag_run_ids: z.array(z.string()).nullish(),
  task_ids: z.array(z.string()).nullish(),
  state: z.array(z.enum(TI_STATES).nullable()).nullish(),
  pool: z.array(z.string()).nullish(),
  queue: z.array(z.string()).nullish(),
  executor: z.array(z.string()).nullish(),
  ...dateRangeBody(['run_after', 'logical_date', 'start_date', 'end_date'] as const),
  ...numberRangeBody(['duration'] as const),
  order_by: z.string().nullish(),
  page_offset: z.number().int().min(0).default(0),
  page_limit: z.number().int().min(0).default(100),
});

const MapIndexQuery = z.object({ map_index: z.coerce.number().int().default(-1) });

export function tiNotFound(dagId: string, runId: string, taskId: string): ApiError {
  return new ApiError(404, `The Task Instance with dag_id: \`${dagId}\`, run_id: \`${runId}\` and task_id: \`${taskId}\` was not found`);
}

/** The task instance (map index -1: windsock does not map tasks), or 404 naming what is missing. */
export function requireTi(store: Store, dagId: string, runId: string, taskId: string, mapIndex = -1): TaskInstanceRow {
  const ti = mapIndex === -1 ? store.tis.get({ dagId, runId, taskId }) : undefined;
  if (!ti) {
    requireRun(store, dagId, runId);
    throw tiNotFound(dagId, runId, taskId);
  }
  return ti;
}

interface TiFilters {
  dagIds?: string[] | null;
  runIds?: string[] | null;
  taskIds?: string[] | null;
  states?: (string | null)[] | null;
  pools?: string[] | null;
  queues?: string[] | null;
  operators?: string[];
  tryNumbers?: number[];
  mapIndexes?: number[];
  patterns?: { col: string; value: string | null | undefined }[];
  ranges: Record<string, unknown>;
  orderBy: string[];
  limit: number;
  offset: number;
}

function listTis(store: Store, f: TiFilters) {
  const where = new Conditions()
    .in('ti.dag_id', f.dagIds)
    .in('ti.run_id', f.runIds)
    .in('ti.task_id', f.taskIds)
    .in('ti.pool', f.pools)
    .in('ti.queue', f.queues)
    .in('ti.operator', f.operators)
    .in('ti.try_number', f.tryNumbers)
    .in('ti.map_index', f.mapIndexes);
  for (const p of f.patterns ?? []) where.when(likePattern(p.value), `${p.col} LIKE ?`, (v) => v);
  // `none` / `null` / `no_status` in a query, null in a body: task instances that have no state yet.
  const states = f.states?.map((s) => (s === 'none' || s === 'null' || s === 'no_status' ? null : s));
  if (states?.length) {
    where.add('(ti.state IN (SELECT value FROM json_each(?)) OR (? AND ti.state IS NULL))', JSON.stringify(states.filter((s) => s !== null)), states.includes(null) ? 1 : 0);
  }
  applyRanges(where, f.ranges, RANGE_COLUMNS);
  const { rows, total } = page<TaskInstanceWithRun>(store.db, {
    from: 'FROM task_instance ti JOIN dag_run r ON r.dag_id = ti.dag_id AND r.run_id = ti.run_id',
    select: TI_SELECT,
    where,
    orderBy: orderBySql(f.orderBy, ORDER_COLUMNS, 'id'),
    limit: f.limit,
    offset: f.offset,
  });
  return { task_instances: rows.map(taskInstanceResponse), total_entries: total };
}

export function taskInstanceRoutes({ store }: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const base = '/dags/:dag_id/dagRuns/:run_id/taskInstances';

  app.get(base, (c) => {
    const { dag_id, run_id } = c.req.param();
    const q = query(c, ListQuery);
    requireDagOrAll(store, dag_id);
    if (dag_id !== '~' && run_id !== '~' && !store.runs.get(dag_id, run_id)) throw runNotFound(dag_id, run_id);
    return c.json(listTis(store, {
      dagIds: dag_id === '~' ? null : [dag_id],
      runIds: run_id === '~' ? null : [run_id],
      taskIds: q.task_id ? [q.task_id] : null,
      states: q.state,
      pools: q.pool,
      queues: q.queue,
      operators: q.operator,
      tryNumbers: q.try_number,
      mapIndexes: q.map_index,
      patterns: [
        { col: 'ti.dag_id', value: q.dag_id_pattern },
        { col: 'ti.run_id', value: q.run_id_pattern },
        { col: 'ti.task_id', value: q.task_display_name_pattern },
      ],
      ranges: q,
      orderBy: q.order_by,
      limit: q.limit,
      offset: q.offset,
    }));
  });

  app.post(`${base}/list`, async (c) => {
    const { dag_id, run_id } = c.req.param();
    const bad = [['dag_id', dag_id], ['dag_run_id', run_id]].filter(([, v]) => v !== '~');
    if (bad.length) throw new ApiError(422, bad.map(([k, v]) => ({ loc: ['path', k], msg: "Input should be '~'", type: 'literal_error', input: v })));
    const b = await jsonBody(c, BatchBody);
    // Windsock runs every task in-process: no executor is named, so an executor filter matches nothing.
    if (b.executor?.length) return c.json({ task_instances: [], total_entries: 0 });
    return c.json(listTis(store, {
      dagIds: b.dag_ids,
      runIds: b.dag_run_ids,
      taskIds: b.task_ids,
      states: b.state,
      pools: b.pool,
      queues: b.queue,
      ranges: b,
      orderBy: b.order_by ? [b.order_by] : ['map_index'],
      limit: b.page_limit,
      offset: b.page_offset,
    }));
  });

  // The map index comes from the path (`.../{task_id}/{map_index}/tries`) or the query (`.../{task_id}/tries`).
  const mapIndexOf = (c: Context<AuthEnv>) => (c.req.param('map_index') === undefined ? query(c, MapIndexQuery).map_index : Number(c.req.param('map_index')));
  const tries = (c: Context<AuthEnv>) => {
    const { dag_id, run_id, task_id } = c.req.param() as Record<string, string>;
    const ti = requireTi(store, dag_id, run_id, task_id, mapIndexOf(c));
    const all = taskInstanceTries(ti, store.tis.attempts({ dagId: dag_id, runId: run_id, taskId: task_id }));
    return c.json({ task_instances: all, total_entries: all.length });
  };
  const oneTry = (c: Context<AuthEnv>) => {
    const { dag_id, run_id, task_id } = c.req.param() as Record<string, string>;
    const mapIndex = mapIndexOf(c);
    const n = z.coerce.number().int().safeParse(c.req.param('try_number'));
    if (!n.success) throw new ApiError(422, [{ loc: ['path', 'task_try_number'], msg: 'Input should be a valid integer, unable to parse string as an integer', type: 'int_parsing', input: c.req.param('try_number') }]);
    const ti = requireTi(store, dag_id, run_id, task_id, mapIndex);
    const hit = taskInstanceTries(ti, store.tis.attempts({ dagId: dag_id, runId: run_id, taskId: task_id })).find((t) => t.try_number === n.data);
    if (!hit) {
      throw new ApiError(404, `The Task Instance with dag_id: \`${dag_id}\`, run_id: \`${run_id}\`, task_id: \`${task_id}\`, try_number: \`${n.data}\` and map_index: \`${mapIndex}\` was not found`);
    }
    return c.json(hit);
  };
  // Windsock's operators define no extra links (Airflow's BaseOperatorLink): an existing task instance has none.
  app.get(`${base}/:task_id/links`, (c) => {
    const { dag_id, run_id, task_id } = c.req.param() as Record<string, string>;
    requireTi(store, dag_id, run_id, task_id, query(c, MapIndexQuery).map_index);
    return c.json({ extra_links: {}, total_entries: 0 });
  });
  app.get(`${base}/:task_id/tries`, tries);
  app.get(`${base}/:task_id/tries/:try_number`, oneTry);
  app.get(`${base}/:task_id/:map_index{-?[0-9]+}/tries`, tries);
  app.get(`${base}/:task_id/:map_index{-?[0-9]+}/tries/:try_number`, oneTry);

  const getOne = (c: Context<AuthEnv>, mapIndex: number) => {
    const { dag_id, run_id, task_id } = c.req.param() as Record<string, string>;
    const ti = requireTi(store, dag_id, run_id, task_id, mapIndex);
    return c.json(taskInstanceResponse(withRun(ti, requireRun(store, dag_id, run_id))));
  };
  app.get(`${base}/:task_id`, (c) => getOne(c, -1));
  app.get(`${base}/:task_id/:map_index{-?[0-9]+}`, (c) => getOne(c, Number(c.req.param('map_index'))));

  return app;
}
