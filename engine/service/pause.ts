// Pausing and unpausing DAGs: what `dag pause`, PATCH /api/v2/dags/{dag_id} and the bulk PATCH /api/v2/dags do,
// each change recorded in the audit log.
import type { Store } from '../state/store.js';
import type { DagRow } from '../state/rows.js';

/** The DAG's row after the change, or undefined when the state database does not know the DAG. */
export function setDagPaused(store: Store, dagId: string, paused: boolean, owner?: string): DagRow | undefined {
  return setDagsPaused(store, [dagId], paused, owner)[0];
}

/** Set the pause flag of every DAG in `dagIds` in one transaction; returns the rows of those that exist, after it. */
export function setDagsPaused(store: Store, dagIds: readonly string[], paused: boolean, owner?: string): DagRow[] {
  return store.tx(() => {
    const rows: DagRow[] = [];
    for (const dagId of dagIds) {
      if (!store.dags.setPaused(dagId, paused)) continue;
      store.events.add({ event: paused ? 'pause' : 'unpause', dagId, owner });
      rows.push(store.dags.get(dagId)!);
    }
    return rows;
  });
}
