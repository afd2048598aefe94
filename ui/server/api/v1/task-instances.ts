// API v1's task instance routes (and their logs and XComs), each a translation to its v2 twin. v1's PATCH takes
// `dry_run` in the body (default true) where v2 has a separate `/dry_run` path, and answers one reference where v2
// answers the collection it changed.
import { ApiError } from '../../errors.js';
import { fillPath, renameKeys, type Json, type Translation } from './adapter.js';
import { listForm } from './dag-runs.js';
import { collection, logText, taskInstance, taskInstanceReference, xcomItem } from './shapes.js';

const tis = collection('task_instances', taskInstance);
const refs = (v2: Json) => ({ task_instances: (v2.task_instances ?? []).map(taskInstanceReference) });
const TIS = '/dags/:dag_id/dagRuns/:dag_run_id/taskInstances';
const TI = `${TIS}/:task_id`;
const MAPPED = `${TI}/:map_index{-?[0-9]+}`;
const firstTi = (v2: Json) => {
  const ti = v2.task_instances?.[0];
  if (!ti) throw new ApiError(404, 'Task instance not found');
  return ti;
};

/** v1's UpdateTaskInstance `{dry_run = true, new_state}`: which v2 path, and the body without dry_run. */
const patchPath = (base: string) => (p: Record<string, string>, b: Json) => {
  const path = fillPath(base, p);
  return b?.dry_run === false ? path : `${path}/dry_run`;
};
const withoutDryRun = ({ dry_run: _, ...rest }: Json) => rest;

/** Airflow 2's updateTaskInstancesState names the task and its run in the body; v2 names them in the path. */
function updateStatePath(p: Record<string, string>, b: Json): string {
  if (typeof b?.task_id !== 'string' || typeof b?.dag_run_id !== 'string') {
    throw new ApiError(400, 'task_id and dag_run_id are required: give the task and the run (by dag_run_id) whose state to set');
  }
  const path = `/dags/${encodeURIComponent(p.dag_id)}/dagRuns/${encodeURIComponent(b.dag_run_id)}/taskInstances/${encodeURIComponent(b.task_id)}`;
  return b.dry_run === false ? path : `${path}/dry_run`;
}

const logs = (v2: Json) => ({ continuation_token: v2.continuation_token ?? undefined, content: logText(v2.content ?? []) });

export const TASK_INSTANCE_TRANSLATIONS: Translation[] = [
  { method: 'POST', path: '/dags/~/dagRuns/~/taskInstances/list', v2: '/dags/~/dagRuns/~/taskInstances/list', body: listForm, out: tis },
  {
    method: 'POST',
    path: '/dags/:dag_id/clearTaskInstances',
    v2: '/dags/:dag_id/clearTaskInstances',
    // Airflow 2's subDAG switches have no v2 counterpart: there are no subDAGs.
    body: ({ include_subdags: _s, include_parentdag: _p, ...rest }: Json) => renameKeys(rest),
    out: refs,
  },
  {
    method: 'POST',
    path: '/dags/:dag_id/updateTaskInstancesState',
    v2: updateStatePath,
    v2Method: 'PATCH',
    body: ({ dry_run: _d, task_id: _t, dag_run_id: _r, execution_date: _e, ...rest }: Json) => rest,
    out: refs,
  },
  { method: 'GET', path: TIS, v2: TIS, paged: true, out: tis },
  {
    method: 'GET',
    path: `${TI}/logs/:task_try_number{[0-9]+}`,
    v2: `${TI}/logs/:try_number`,
    params: { task_try_number: 'try_number' },
    out: logs,
    text: (v2) => logText(v2.content ?? []),
  },
  // Windsock's operators define no extra links: v1's ExtraLinkCollection is a list where v2's is a map.
  { method: 'GET', path: `${TI}/links`, v2: `${TI}/links`, out: () => ({ extra_links: [] }) },
  { method: 'GET', path: `${TI}/xcomEntries`, v2: `${TI}/xcomEntries`, paged: true, out: collection('xcom_entries', xcomItem) },
  {
    method: 'GET',
    path: `${TI}/xcomEntries/:xcom_key`,
    v2: `${TI}/xcomEntries/:xcom_key`,
    // Airflow 2.10 answered the value as a string unless asked otherwise.
    queryDefaults: { stringify: 'true' },
    out: (x) => ({ ...xcomItem(x), value: x.value }),
  },
  { method: 'GET', path: `${TI}/listMapped`, v2: `${TI}/listMapped`, paged: true, out: tis },
  { method: 'GET', path: `${TI}/dependencies`, v2: `${TI}/dependencies` },
  { method: 'GET', path: `${MAPPED}/dependencies`, v2: `${MAPPED}/dependencies` },
  { method: 'GET', path: `${TI}/tries/:task_try_number{[0-9]+}`, v2: `${TI}/tries/:task_try_number`, out: taskInstance },
  { method: 'GET', path: `${MAPPED}/tries/:task_try_number{[0-9]+}`, v2: `${MAPPED}/tries/:task_try_number`, out: taskInstance },
  { method: 'GET', path: `${TI}/tries`, v2: `${TI}/tries`, out: tis },
  { method: 'GET', path: `${MAPPED}/tries`, v2: `${MAPPED}/tries`, out: tis },
  { method: 'PATCH', path: `${TI}/setNote`, v2: `${TI}?update_mask=note`, body: (b) => ({ note: b.note }), out: (v2) => taskInstance(firstTi(v2)) },
  { method: 'PATCH', path: `${MAPPED}/setNote`, v2: `${MAPPED}?update_mask=note`, body: (b) => ({ note: b.note }), out: (v2) => taskInstance(firstTi(v2)) },
  { method: 'GET', path: MAPPED, v2: MAPPED, out: taskInstance },
  { method: 'PATCH', path: MAPPED, v2: patchPath(MAPPED), body: withoutDryRun, out: (v2) => taskInstanceReference(firstTi(v2)) },
  { method: 'GET', path: TI, v2: TI, out: taskInstance },
  { method: 'PATCH', path: TI, v2: patchPath(TI), body: withoutDryRun, out: (v2) => taskInstanceReference(firstTi(v2)) },
];
