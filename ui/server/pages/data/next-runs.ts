// The runs the scheduler will create next for a DAG (what `dag next-execution` answers), from its schedule and its
// last scheduled or backfill run; for the DAG list when the scheduler has not stamped next_dagrun yet, and Details.
import type { Store } from '../../../../engine/state/store.js';
import type { DagSpec } from '../../../../engine/types.js';
import { nextExecutions, timeRestriction, type DagRunInfo } from '../../../../engine/schedule/index.js';

type Interval = { start: Date; end: Date };

/** `last` is the DAG's last automated interval when the caller read it already (null: none); read here otherwise. */
export function nextRuns(store: Store, spec: DagSpec, n: number, now = new Date(), last?: Interval | null): DagRunInfo[] {
  let interval = last;
  if (interval === undefined) {
    const row = store.runs.lastAutomated(spec.dagId);
    interval = row?.data_interval_start && row.data_interval_end ? { start: new Date(row.data_interval_start), end: new Date(row.data_interval_end) } : null;
  }
  try {
    return nextExecutions(spec.schedule, spec.timezone, timeRestriction(spec), interval, now, n);
  } catch {
    return []; // a schedule the timetable cannot follow is reported as an import error, not here
  }
}

/**
 * The last scheduled or backfill run's data interval of each of `dagIds`, in one query (the DAG list asks for a
 * thousand DAGs at once; the same order as the store's lastAutomated: latest interval end, then logical date).
 */
export function lastAutomatedIntervals(store: Store, dagIds: string[]): Map<string, Interval> {
  const rows = store.db
    .prepare(`SELECT dag_id, data_interval_start, data_interval_end FROM (
                SELECT dag_id, data_interval_start, data_interval_end,
                       row_number() OVER (PARTITION BY dag_id ORDER BY data_interval_end DESC, logical_date DESC) AS n
                FROM dag_run WHERE run_type IN ('scheduled', 'backfill') AND dag_id IN (SELECT value FROM json_each(?)))
              WHERE n = 1`)
    .raw(true)
    .all(JSON.stringify(dagIds)) as [string, string | null, string | null][];
  const out = new Map<string, Interval>();
  for (const [dagId, start, end] of rows) if (start && end) out.set(dagId, { start: new Date(start), end: new Date(end) });
  return out;
}
