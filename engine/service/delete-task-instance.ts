// Deleting a task instance with its tries and XComs: DELETE /api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances/
// {task_id}, and the delete action of PATCH .../taskInstances (Airflow 3.1's routes/public/task_instances.py and
// services/public/task_instances.py). As in Airflow, a run that is still going gets the task instance back at the
// scheduler's next pass (verify_integrity), in state none. One that a live process is running or has queued is
// refused, as deleting its run is: its runner would go on writing to a row that is gone.
import type { Store } from '../state/store.js';
import type { DagRunRow, TaskInstanceRow } from '../state/rows.js';
import type { TiKey } from '../state/task-instances.js';
import { liveHolder } from '../run/run-ownership.js';
import { describeJob } from '../state/jobs.js';
import { ConflictError, NotFoundError } from './errors.js';

export interface DeleteTiKey extends TiKey {
  /** windsock does not map tasks: anything but -1 names no task instance. */
  mapIndex: number;
}

/** Airflow's 404 for a task instance that is not there. */
function tiMissing(k: DeleteTiKey): NotFoundError {
  return new NotFoundError(`The Task Instance with dag_id: \`${k.dagId}\`, run_id: \`${k.runId}\`, task_id: \`${k.taskId}\` and map_index: \`${k.mapIndex}\` was not found`);
}

/** Why the task instance may not be deleted now, or null. */
function deleteRefusal(store: Store, ti: TaskInstanceRow, run: DagRunRow | undefined): string | null {
  if (ti.state !== 'queued' && ti.state !== 'running' && ti.state !== 'restarting') return null;
  const holder = run && liveHolder(store, run, -1);
  return holder ? `task ${ti.task_id} of run ${ti.run_id} is ${ti.state} under ${describeJob(holder)}: mark it failed first, then delete it` : null;
}

/** Delete in one transaction, with an audit log entry; returns the row as it was. */
export function deleteTaskInstance(store: Store, k: DeleteTiKey, user?: string): TaskInstanceRow {
  return store.tx(() => {
    const ti = k.mapIndex === -1 ? store.tis.get(k) : undefined;
    if (!ti) throw tiMissing(k);
    const run = store.runs.get(k.dagId, k.runId);
    const refusal = deleteRefusal(store, ti, run);
    if (refusal) throw new ConflictError(refusal);
    store.tis.delete(k);
    store.events.add({ event: 'delete_task_instance', dagId: k.dagId, runId: k.runId, taskId: k.taskId, executionDate: run?.logical_date, owner: user, extra: { state: ti.state, try_number: ti.try_number } });
    return ti;
  });
}
