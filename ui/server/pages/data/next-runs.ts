// The runs the scheduler will create next for a DAG (what `dag next-execution` answers), from its schedule and its
// last scheduled or backfill run; for the DAG list when the scheduler has not stamped next_dagrun yet, and Details.
import type { Store } from '../../../../engine/state/store.js';
import type { DagSpec } from '../../../../engine/types.js';
import { nextExecutions, timeRestriction, type DagRunInfo } from '../../../../engine/schedule/index.js';

export function nextRuns(store: Store, spec: DagSpec, n: number, now = new Date()): DagRunInfo[] {
  const last = store.runs.lastAutomated(spec.dagId);
  const interval = last?.data_interval_start && last.data_interval_end ? { start: new Date(last.data_interval_start), end: new Date(last.data_interval_end) } : null;
  try {
    return nextExecutions(spec.schedule, spec.timezone, timeRestriction(spec), interval, now, n);
  } catch {
    return []; // a schedule the timetable cannot follow is reported as an import error, not here
  }
}
