// Deleting a run with its task instances, their history and XComs: DELETE /api/v2/dags/{dag_id}/dagRuns/{run_id}.
// A run a live process is driving is refused (its runner would go on writing to rows that are gone): mark it
// failed first, which stops it.
import { UserError } from '../types.js';
import type { Store } from '../state/store.js';
import type { DagRunRow } from '../state/rows.js';
import { liveHolder } from '../run/run-ownership.js';
import { NotFoundError } from './errors.js';

export interface DeleteRunPlan {
  run: DagRunRow;
  /** How many task instances go with it. */
  taskInstances: number;
  /** Why it cannot be deleted now (a live process drives it), or null. */
  refusal: string | null;
}

/** What deleting the run would remove, and whether it may be deleted now (the admin UI's confirmation page). */
export function planDeleteRun(store: Store, dagId: string, runId: string): DeleteRunPlan {
  const run = store.runs.get(dagId, runId);
  if (!run) throw new NotFoundError(`The DagRun with dag_id: \`${dagId}\` and run_id: \`${runId}\` was not found`);
  const holder = run.state === 'running' || run.state === 'queued' ? liveHolder(store, run, -1) : undefined;
  const refusal = holder
    ? `run ${runId} of ${dagId} is being run by job ${holder.id} (${holder.job_type}, pid ${holder.pid} on ${holder.hostname}): mark it failed first, then delete it`
    : null;
  return { run, taskInstances: store.tis.forRun(dagId, runId).length, refusal };
}

export function deleteRun(store: Store, dagId: string, runId: string, user?: string): void {
  store.tx(() => {
    const { run, refusal } = planDeleteRun(store, dagId, runId);
    if (refusal) throw new UserError(refusal);
    store.runs.delete(dagId, runId);
    store.events.add({ event: 'delete_dag_run', dagId, runId, executionDate: run.logical_date, owner: user, extra: { state: run.state } });
  });
}
