// Deleting a DAG's metadata: its runs, task instances and their history, XComs, warnings, the import errors of its
// file and its `dag` row (what `DELETE /api/v2/dags/{dag_id}` does, after Airflow's airflow/api/common/delete_dag.py).
// The audit log keeps its rows. The file stays, so the DAG comes back, unpaused and with no history, the next time
// the folder is parsed; the recorded folder fingerprint is dropped so that the next listing parses again.
// Airflow refuses while a task instance runs; windsock also refuses while one is queued or a run is running, because
// the process driving it would find its rows gone under it.
import type { Store } from '../state/store.js';
import { purgeDagRows } from '../state/dag-purge.js';

export type DeleteDagResult =
  | { kind: 'deleted'; rows: number }
  | { kind: 'not_found' }
  | { kind: 'busy'; runningRuns: number; activeTasks: number };

export function deleteDag(store: Store, dagId: string, owner?: string): DeleteDagResult {
  return store.tx(() => {
    const dag = store.dags.get(dagId);
    if (!dag) return { kind: 'not_found' };
    const runningRuns = store.runs.countByState(dagId, ['running']);
    const activeTasks = store.tis.activeForDag(dagId);
    if (runningRuns || activeTasks) return { kind: 'busy', runningRuns, activeTasks };
    let rows = purgeDagRows(store.db, dagId);
    if (dag.fileloc) rows += store.importErrors.deleteForFile(dag.fileloc);
    store.folderParses.forget();
    store.events.add({ event: 'delete_dag', dagId, owner, extra: { rows } });
    return { kind: 'deleted', rows };
  });
}

/** The one-line reason a busy DAG cannot be deleted yet, and what to do. */
export function busyMessage(dagId: string, r: { runningRuns: number; activeTasks: number }): string {
  const what = [r.runningRuns ? `${r.runningRuns} running run(s)` : '', r.activeTasks ? `${r.activeTasks} queued or running task instance(s)` : ''].filter(Boolean).join(' and ');
  return `Task instances of dag with id: '${dagId}' are still running (${what}): wait for them to finish or mark them failed, then delete the DAG`;
}
