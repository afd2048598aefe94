// Task instance rows (as the service layer returns them) with what their response needs from their run.
import type { Store } from '../../../../engine/state/store.js';
import type { DagRunRow, TaskInstanceRow } from '../../../../engine/state/rows.js';
import { taskInstanceResponse, type TaskInstanceWithRun } from './shapes/task-instance.js';

export function withRun(ti: TaskInstanceRow, run: DagRunRow): TaskInstanceWithRun {
  return { ...ti, run_logical_date: run.logical_date, run_type: run.run_type, run_data_interval_end: run.data_interval_end, run_has_logical_date: run.has_logical_date };
}

/** A TaskInstanceCollectionResponse of these task instances, in their order. */
export function tiCollection(store: Store, tis: TaskInstanceRow[]) {
  const runs = new Map<string, DagRunRow | undefined>();
  const runOf = (t: TaskInstanceRow) => {
    const key = `${t.dag_id}\u0000${t.run_id}`;
    if (!runs.has(key)) runs.set(key, store.runs.get(t.dag_id, t.run_id));
    return runs.get(key);
  };
  const task_instances = tis.flatMap((t) => {
    const run = runOf(t);
    return run ? [taskInstanceResponse(withRun(t, run))] : [];
  });
  return { task_instances, total_entries: task_instances.length };
}
