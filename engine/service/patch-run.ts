// Setting a run's state or note by hand: PATCH /api/v2/dags/{dag_id}/dagRuns/{run_id}, after Airflow's
// set_dag_run_state_to_success / _failed / _queued (api/common/mark_tasks.py). Success marks every task instance
// success; failed marks the running ones failed and those that have not run skipped; queued only queues the run
// (the scheduler picks it up again).
import type { DagRunState, DagSpec, TaskState } from '../types.js';
import { FINISHED_STATES } from '../types.js';
import type { Store } from '../state/store.js';
import type { DagRunRow, TaskInstanceRow } from '../state/rows.js';

export type PatchableRunState = Exclude<DagRunState, 'running'>;

/** What marking a run in `state` does to a task instance in `ti`: its new state, or null to leave it. */
export function taskStateForRunState(state: PatchableRunState, ti: TaskState): Exclude<TaskState, null> | null {
  if (state === 'success') return ti === 'success' ? null : 'success';
  if (state === 'failed') {
    if (ti === 'running') return 'failed';
    return FINISHED_STATES.has(ti) ? null : 'skipped';
  }
  return null;
}

/** The task instances marking the run in `state` alters, each with its new state (the dry run of setRunState). */
export function planRunState(store: Store, dagId: string, runId: string, state: PatchableRunState): { ti: TaskInstanceRow; next: Exclude<TaskState, null> }[] {
  return store.tis.forRun(dagId, runId).flatMap((ti) => {
    const next = taskStateForRunState(state, ti.state);
    return next ? [{ ti, next }] : [];
  });
}

export function setRunState(store: Store, dag: Pick<DagSpec, 'dagId'>, runId: string, state: PatchableRunState, user?: string): DagRunRow | undefined {
  return store.tx(() => {
    const run = store.runs.get(dag.dagId, runId);
    if (!run) return undefined;
    for (const { ti, next } of planRunState(store, dag.dagId, runId, state)) store.tis.mark({ dagId: dag.dagId, runId, taskId: ti.task_id }, next);
    store.runs.setState(dag.dagId, runId, state);
    store.events.add({ event: `dag_run_marked_${state}`, dagId: dag.dagId, runId, executionDate: run.logical_date, owner: user, extra: { previous_state: run.state } });
    return store.runs.get(dag.dagId, runId);
  });
}

export function setRunNote(store: Store, dagId: string, runId: string, note: string | null, user?: string): DagRunRow | undefined {
  return store.tx(() => {
    if (!store.runs.get(dagId, runId)) return undefined;
    store.runs.setNote(dagId, runId, note);
    store.events.add({ event: 'set_dag_run_note', dagId, runId, owner: user });
    return store.runs.get(dagId, runId);
  });
}
