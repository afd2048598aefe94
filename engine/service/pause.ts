// Pausing and unpausing a DAG: what `dag pause` and PATCH /api/v2/dags/{dag_id} both do, recorded in the audit log.
import type { Store } from '../state/store.js';
import type { DagRow } from '../state/rows.js';

/** The DAG's row after the change, or undefined when the state database does not know the DAG. */
export function setDagPaused(store: Store, dagId: string, paused: boolean, owner?: string): DagRow | undefined {
  return store.tx(() => {
    if (!store.dags.setPaused(dagId, paused)) return undefined;
    store.events.add({ event: paused ? 'pause' : 'unpause', dagId, owner });
    return store.dags.get(dagId);
  });
}
