// API v1's DAG run routes, each a translation to its v2 twin. v1 triggers with `execution_date` (or `logical_date`)
// and, when neither is given, at the current time, as Airflow 2 did; v2 would leave the logical date null.
import { ApiError } from '../../errors.js';
import { renameKeys, sortKey, type Json, type Translation } from './adapter.js';
import { collection, dagRun, taskInstance } from './shapes.js';

const runs = collection('dag_runs', dagRun);
const RUN = '/dags/:dag_id/dagRuns/:dag_run_id';

/** Pure: a v1 trigger body as v2's. */
export function triggerBody(v1: Json, now = new Date()): Json {
  const { execution_date, ...rest } = v1 ?? {};
  if (execution_date !== undefined && rest.logical_date !== undefined && execution_date !== rest.logical_date) {
    throw new ApiError(400, 'logical_date conflicts with execution_date: give one of them (they are the same field)');
  }
  return { ...rest, logical_date: rest.logical_date ?? execution_date ?? now.toISOString() };
}

/** v1's batch forms name the sort key and the date filters as Airflow 2 did. */
export function listForm(v1: Json): Json {
  const body = renameKeys(v1);
  if (typeof body?.order_by === 'string') body.order_by = sortKey(body.order_by);
  return body;
}

export const DAG_RUN_TRANSLATIONS: Translation[] = [
  { method: 'POST', path: '/dags/~/dagRuns/list', v2: '/dags/~/dagRuns/list', body: listForm, out: runs },
  { method: 'GET', path: '/dags/:dag_id/dagRuns', v2: '/dags/:dag_id/dagRuns', paged: true, out: runs },
  { method: 'POST', path: '/dags/:dag_id/dagRuns', v2: '/dags/:dag_id/dagRuns', body: (b) => triggerBody(b), out: dagRun },
  { method: 'PATCH', path: `${RUN}/setNote`, v2: `${RUN}?update_mask=note`, body: (b) => ({ note: b.note }), out: dagRun },
  {
    method: 'POST',
    path: `${RUN}/clear`,
    v2: `${RUN}/clear`,
    // a dry run lists the task instances it would clear; a real one answers the run
    out: (v2) => (Array.isArray(v2.task_instances) ? collection('task_instances', taskInstance)(v2) : dagRun(v2)),
  },
  { method: 'GET', path: RUN, v2: RUN, out: dagRun },
  { method: 'PATCH', path: RUN, v2: RUN, out: dagRun },
  { method: 'DELETE', path: RUN, v2: RUN, status: 204 },
];
