// Creating, changing and deleting XComs by hand (the REST API's xcomEntries), each recorded in the audit log. The
// task instance must exist: an XCom belongs to one (Airflow checks the DAG, its task and the run the same way,
// routes/public/xcom.py). Values are stored as JSON text, as the engine's own XComs are.
import type { Store } from '../state/store.js';
import type { XcomKey, XcomRow } from '../state/xcom.js';

export type XcomMissing = 'dag' | 'run' | 'task' | 'xcom';
export type XcomWrite = { ok: true; row: XcomRow } | { ok: false; missing: XcomMissing } | { ok: false; exists: true };

function missingOwner(store: Store, k: XcomKey): XcomMissing | null {
  if (!store.dags.get(k.dagId)) return 'dag';
  if (!store.runs.get(k.dagId, k.runId)) return 'run';
  const ti = k.mapIndex === -1 ? store.tis.get(k) : undefined;
  return ti ? null : 'task';
}

export function createXcom(store: Store, k: XcomKey, value: unknown, owner?: string): XcomWrite {
  return store.tx(() => {
    const missing = missingOwner(store, k);
    if (missing) return { ok: false, missing };
    if (!store.xcom.insert(k, JSON.stringify(value ?? null))) return { ok: false, exists: true };
    store.events.add({ event: 'create_xcom_entry', dagId: k.dagId, runId: k.runId, taskId: k.taskId, owner, extra: { key: k.key, map_index: k.mapIndex } });
    return { ok: true, row: store.xcom.get(k)! };
  });
}

export function updateXcom(store: Store, k: XcomKey, value: unknown, owner?: string): XcomWrite {
  return store.tx(() => {
    if (!store.xcom.update(k, JSON.stringify(value ?? null))) return { ok: false, missing: missingOwner(store, k) ?? 'xcom' };
    store.events.add({ event: 'update_xcom_entry', dagId: k.dagId, runId: k.runId, taskId: k.taskId, owner, extra: { key: k.key, map_index: k.mapIndex } });
    return { ok: true, row: store.xcom.get(k)! };
  });
}

/** True when the XCom existed and is gone. */
export function deleteXcom(store: Store, k: XcomKey, owner?: string): boolean {
  return store.tx(() => {
    if (!store.xcom.delete(k)) return false;
    store.events.add({ event: 'delete_xcom_entry', dagId: k.dagId, runId: k.runId, taskId: k.taskId, owner, extra: { key: k.key, map_index: k.mapIndex } });
    return true;
  });
}
