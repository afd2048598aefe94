// A `dag` row as Airflow 3's DAGResponse. Windsock has one bundle (the DAGs folder) and no DAG versions yet.
import path from 'node:path';
import type { DagRow } from '../../../../../engine/state/rows.js';
import { apiDate } from './dates.js';

export const BUNDLE_NAME = 'dags-folder';

export function dagTags(row: DagRow): { name: string; dag_id: string; dag_display_name: string }[] {
  return (JSON.parse(row.tags) as string[]).map((name) => ({ name, dag_id: row.dag_id, dag_display_name: row.dag_id }));
}

export function dagResponse(row: DagRow, dagsFolder: string) {
  const fileloc = row.fileloc ?? '';
  const relative = fileloc ? path.relative(dagsFolder, fileloc) : null;
  return {
    dag_id: row.dag_id,
    dag_display_name: row.dag_id,
    is_paused: row.is_paused === 1,
    is_stale: row.is_active !== 1,
    last_parsed_time: apiDate(row.last_parsed_time),
    last_parse_duration: null,
    last_expired: null,
    bundle_name: BUNDLE_NAME,
    bundle_version: null,
    relative_fileloc: relative && !relative.startsWith('..') ? relative : null,
    fileloc,
    description: row.description,
    timetable_summary: row.schedule_interval,
    timetable_description: row.timetable_description,
    timetable_partitioned: false,
    tags: dagTags(row),
    max_active_tasks: row.max_active_tasks ?? 16,
    max_active_runs: row.max_active_runs,
    max_consecutive_failed_dag_runs: 0,
    has_task_concurrency_limits: false,
    has_import_errors: row.has_import_errors === 1,
    next_dagrun_logical_date: apiDate(row.next_dagrun),
    next_dagrun_data_interval_start: apiDate(row.next_dagrun_data_interval_start),
    next_dagrun_data_interval_end: apiDate(row.next_dagrun_data_interval_end),
    next_dagrun_run_after: apiDate(row.next_dagrun_create_after),
    allowed_run_types: null,
    owners: (row.owners ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    file_token: Buffer.from(row.dag_id).toString('base64url'),
  };
}
