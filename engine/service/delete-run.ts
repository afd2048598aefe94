// Deleting a run with its task instances, their history and XComs: DELETE /api/v2/dags/{dag_id}/dagRuns/{run_id}.
// A run a live process is driving is refused (its runner would go on writing to rows that are gone): mark it
// failed first, which stops it.
import { UserError } from '../types.js';
import type { Store } from '../state/store.js';
import { liveHolder } from '../run/run-ownership.js';
import { NotFoundError } from './errors.js';

export function deleteRun(store: Store, dagId: string, runId: string, user?: string): void {
  store.tx(() => {
    const run = store.runs.get(dagId, runId);
    if (!run) throw new NotFoundError(`The DagRun with dag_id: \`${dagId}\` and run_id: \`${runId}\` was not found`);
    const holder = run.state === 'running' || run.state === 'queued' ? liveHolder(store, run, -1) : undefined;
    if (holder) {
      throw new UserError(`run ${runId} of ${dagId} is being run by job ${holder.id} (${holder.job_type}, pid ${holder.pid} on ${holder.hostname}): mark it failed first, then delete it`);
    }
    store.runs.delete(dagId, runId);
    store.events.add({ event: 'delete_dag_run', dagId, runId, executionDate: run.logical_date, owner: user, extra: { state: run.state } });
  });
}
