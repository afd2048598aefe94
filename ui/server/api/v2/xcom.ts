// /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/xcomEntries: list (any of the three ids `~`),
// get one (native JSON, or a string with stringify), create (201, 409 when the key exists), update and delete (204)
// through the engine's XCom service. Keys may hold '/', as Airflow's `{xcom_key:path}`.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { Conditions, page } from '../../../../engine/state/page.js';
import type { XcomKey } from '../../../../engine/state/xcom.js';
import { createXcom, deleteXcom, updateXcom, type XcomWrite } from '../../../../engine/service/xcom.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { ApiError } from '../../errors.js';
import { pagingQuery } from '../../paging.js';
import { wherePattern } from '../../patterns.js';
import { jsonBody, qBool, query } from '../../request.js';
import { applyRanges, dateRangeQuery } from './ranges.js';
import { RUN_AFTER_SQL } from './shapes/dag-run.js';
import { XCOM_FROM, XCOM_SELECT, xcomResponse, xcomString, xcomValue, type XcomWithRun } from './shapes/xcom.js';

const BASE = '/dags/:dag_id/dagRuns/:run_id/taskInstances/:task_id/xcomEntries';
const ENTRY = `${BASE}/:xcom_key{.+}`;

const mapIndex = z.coerce.number().int().min(-1);

const ListQuery = z.object({
  ...pagingQuery,
  ...dateRangeQuery(['logical_date', 'run_after'] as const),
  xcom_key: z.string().optional(),
  map_index: mapIndex.optional(),
  xcom_key_pattern: z.string().optional(),
  dag_display_name_pattern: z.string().optional(),
  run_id_pattern: z.string().optional(),
  task_id_pattern: z.string().optional(),
  map_index_filter: z.coerce.number().int().optional(),
});
const EntryQuery = z.object({ map_index: mapIndex.default(-1), deserialize: qBool.default(false), stringify: qBool.default(false) });
const DeleteQuery = z.object({ map_index: mapIndex.default(-1) });

// `value` may be any JSON, null included, but must be given (pydantic's required `Any` field).
const value = z.json().optional();
function valueRequired<S extends z.ZodType<{ value?: unknown }>>(schema: S) {
  return schema.superRefine((b, ctx) => {
    if (b.value === undefined) ctx.addIssue({ code: 'invalid_type', expected: 'unknown', path: ['value'], input: undefined, message: 'Field required' });
  });
}
const CreateBody = valueRequired(z.strictObject({ key: z.string().min(1).max(512), value, map_index: z.number().int().default(-1) }));
const UpdateBody = valueRequired(z.strictObject({ value, map_index: z.number().int().default(-1) }));

function keyOf(c: Context, key: string, mapIndexValue: number): XcomKey {
  return { dagId: c.req.param('dag_id')!, runId: c.req.param('run_id')!, taskId: c.req.param('task_id')!, mapIndex: mapIndexValue, key };
}

function notFound(key: string): ApiError {
  return new ApiError(404, `XCom entry with key: \`${key}\` not found`);
}

/** A failed write as Airflow words it. */
function writeError(r: Exclude<XcomWrite, { ok: true }>, k: XcomKey): ApiError {
  if ('exists' in r) return new ApiError(409, `The XCom with key: \`${k.key}\` with mentioned task instance already exists.`);
  switch (r.missing) {
    case 'dag':
      return new ApiError(404, `The Dag with ID: \`${k.dagId}\` was not found`);
    case 'run':
      return new ApiError(404, `Dag Run with ID: \`${k.runId}\` not found for dag: \`${k.dagId}\``);
    case 'task':
      return new ApiError(404, `Task with ID: \`${k.taskId}\` and map index ${k.mapIndex} not found in run \`${k.runId}\` of dag: \`${k.dagId}\``);
    case 'xcom':
      return new ApiError(404, `The XCom with key: \`${k.key}\` with mentioned task instance doesn't exist.`);
  }
}

export function xcomRoutes({ store }: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const one = (k: XcomKey) =>
    store.db.prepare(`SELECT ${XCOM_SELECT} ${XCOM_FROM} WHERE x.dag_id = ? AND x.run_id = ? AND x.task_id = ? AND x.map_index = ? AND x.key = ?`)
      .get(k.dagId, k.runId, k.taskId, k.mapIndex, k.key) as XcomWithRun | undefined;

  app.get(BASE, (c) => {
    const q = query(c, ListQuery);
    const { dag_id, run_id, task_id } = c.req.param();
    const all = (v: string) => (v === '~' ? null : v);
    const where = new Conditions()
      .when(all(dag_id), 'x.dag_id = ?', (v) => v)
      .when(all(run_id), 'x.run_id = ?', (v) => v)
      .when(all(task_id), 'x.task_id = ?', (v) => v)
      .when(q.xcom_key, 'x.key = ?', (v) => v)
      .when(q.map_index, 'x.map_index = ?', (v) => v)
      .when(q.map_index_filter, 'x.map_index = ?', (v) => v);
    for (const [param, column] of [['xcom_key_pattern', 'x.key'], ['dag_display_name_pattern', 'x.dag_id'], ['run_id_pattern', 'x.run_id'], ['task_id_pattern', 'x.task_id']] as const) {
      wherePattern(where, column, q[param]);
    }
    applyRanges(where, q, { logical_date: 'r.logical_date', run_after: RUN_AFTER_SQL });
    const { rows, total } = page<XcomWithRun>(store.db, {
      from: XCOM_FROM,
      select: XCOM_SELECT,
      where,
      orderBy: 'x.dag_id, x.task_id, x.run_id, x.map_index, x.key',
      limit: q.limit,
      offset: q.offset,
    });
    return c.json({ xcom_entries: rows.map(xcomResponse), total_entries: total });
  });

  app.get(ENTRY, (c) => {
    const q = query(c, EntryQuery);
    const k = keyOf(c, c.req.param('xcom_key'), q.map_index);
    const row = one(k);
    if (!row) throw notFound(k.key);
    return c.json({ ...xcomResponse(row), value: q.stringify ? xcomString(row) : xcomValue(row) });
  });

  app.post(BASE, async (c) => {
    const body = await jsonBody(c, CreateBody);
    const k = keyOf(c, body.key, body.map_index);
    const r = createXcom(store, k, body.value, c.get('caller').username);
    if (!r.ok) throw writeError(r, k);
    return c.json({ ...xcomResponse(one(k)!), value: xcomValue(r.row) }, 201);
  });

  app.patch(ENTRY, async (c) => {
    const body = await jsonBody(c, UpdateBody);
    const k = keyOf(c, c.req.param('xcom_key'), body.map_index);
    const r = updateXcom(store, k, body.value, c.get('caller').username);
    if (!r.ok) throw writeError(r, k);
    return c.json({ ...xcomResponse(one(k)!), value: xcomValue(r.row) });
  });

  app.delete(ENTRY, (c) => {
    const k = keyOf(c, c.req.param('xcom_key'), query(c, DeleteQuery).map_index);
    if (!deleteXcom(store, k, c.get('caller').username)) throw notFound(k.key);
    return c.body(null, 204);
  });

  return app;
}
