// A `dag_run` row as Airflow 3's DAGRunResponse. `run_after` (new in Airflow 3) is when the run became due: the end
// of the data interval for scheduled and backfill runs, the logical date for manual ones.
import type { DagRunRow } from '../../../../../engine/state/rows.js';
import { apiDate, seconds } from './dates.js';

/** run_after as SQL over a `dag_run` row aliased `r`, so listings can sort and filter on it. */
export const RUN_AFTER_SQL = `(CASE WHEN r.run_type IN ('scheduled', 'backfill') THEN coalesce(r.data_interval_end, r.logical_date) ELSE r.logical_date END)`;

export function runAfter(row: Pick<DagRunRow, 'run_type' | 'data_interval_end' | 'logical_date'>): string {
  return (row.run_type === 'manual' ? row.logical_date : (row.data_interval_end ?? row.logical_date));
}

const TRIGGERED_BY = { scheduled: 'timetable', backfill: 'backfill', manual: 'cli' } as const;

export function dagRunResponse(row: DagRunRow) {
  return {
    dag_run_id: row.run_id,
    dag_id: row.dag_id,
    dag_display_name: row.dag_id,
    logical_date: apiDate(row.logical_date),
    queued_at: apiDate(row.queued_at),
    start_date: apiDate(row.start_date),
    end_date: apiDate(row.end_date),
    duration: seconds(row.start_date, row.end_date),
    data_interval_start: apiDate(row.data_interval_start),
    data_interval_end: apiDate(row.data_interval_end),
    run_after: apiDate(runAfter(row))!,
    last_scheduling_decision: apiDate(row.last_scheduling_decision),
    run_type: row.run_type,
    state: row.state,
    triggered_by: TRIGGERED_BY[row.run_type] ?? null,
    triggering_user_name: null,
    conf: JSON.parse(row.conf) as Record<string, unknown>,
    note: row.note,
    dag_versions: [],
    bundle_version: null,
    partition_key: null,
  };
}
