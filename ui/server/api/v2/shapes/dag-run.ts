// A `dag_run` row as Airflow 3's DAGRunResponse. `run_after` (new in Airflow 3) is when the run became due: the end
// of the data interval for scheduled and backfill runs, the logical date for manual ones.
import type { DagRunRow } from '../../../../../engine/state/rows.js';
import { apiDate, seconds } from './dates.js';

/** run_after as SQL over a `dag_run` row aliased `r`, so listings can sort and filter on it. */
export const RUN_AFTER_SQL = `(CASE WHEN r.run_type IN ('scheduled', 'backfill') THEN coalesce(r.data_interval_end, r.logical_date) ELSE r.logical_date END)`;

export function runAfter(row: Pick<DagRunRow, 'run_type' | 'data_interval_end' | 'logical_date'>): string {
  return (row.run_type === 'manual' ? row.logical_date : (row.data_interval_end ?? row.logical_date));
}

export function dagRunResponse(row: DagRunRow) {
  // A run triggered with `logical_date: null` has no logical date and no data interval (Airflow 3).
  const dated = row.has_logical_date !== 0;
  return {
    dag_run_id: row.run_id,
    dag_id: row.dag_id,
    dag_display_name: row.dag_id,
    logical_date: dated ? apiDate(row.logical_date) : null,
    queued_at: apiDate(row.queued_at),
    start_date: apiDate(row.start_date),
    end_date: apiDate(row.end_date),
    duration: seconds(row.start_date, row.end_date),
    data_interval_start: dated ? apiDate(row.data_interval_start) : null,
    data_interval_end: dated ? apiDate(row.data_interval_end) : null,
    run_after: apiDate(runAfter(row))!,
    last_scheduling_decision: apiDate(row.last_scheduling_decision),
    run_type: row.run_type,
    state: row.state,
    triggered_by: row.triggered_by,
    triggering_user_name: row.triggering_user_name,
    conf: JSON.parse(row.conf) as Record<string, unknown>,
    note: row.note,
    dag_versions: [],
    bundle_version: null,
    partition_key: null,
  };
}
