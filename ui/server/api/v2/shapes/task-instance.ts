// A `task_instance` row (joined with its run) as Airflow 3's TaskInstanceResponse. Airflow's TI id is a UUID
// column; windsock derives a stable one from the instance's key, so the same instance always has the same id.
import crypto from 'node:crypto';
import type { TaskInstanceRow } from '../../../../../engine/state/rows.js';
import { apiDate } from './dates.js';
import { runAfter } from './dag-run.js';

export interface TaskInstanceWithRun extends TaskInstanceRow {
  run_logical_date: string;
  run_type: 'scheduled' | 'manual' | 'backfill';
  run_data_interval_end: string | null;
  run_has_logical_date: number;
}

/** Columns of a task-instance listing: `ti.*` plus what the response needs from its run `r`. */
export const TI_SELECT = 'ti.*, r.logical_date AS run_logical_date, r.run_type AS run_type, r.data_interval_end AS run_data_interval_end, r.has_logical_date AS run_has_logical_date';

/** Airflow 3's TaskInstanceState (none is null). */
export const TI_STATES = ['removed', 'scheduled', 'queued', 'running', 'success', 'restarting', 'failed', 'up_for_retry', 'up_for_reschedule', 'upstream_failed', 'skipped', 'deferred'] as const;

export function taskInstanceId(dagId: string, runId: string, taskId: string, mapIndex: number): string {
  const h = crypto.createHash('sha1').update(JSON.stringify([dagId, runId, taskId, mapIndex])).digest();
  h[6] = (h[6] & 0x0f) | 0x50; // version 5 (name-based, SHA-1)
  h[8] = (h[8] & 0x3f) | 0x80; // RFC 4122 variant
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function taskInstanceResponse(row: TaskInstanceWithRun) {
  return {
    id: taskInstanceId(row.dag_id, row.run_id, row.task_id, row.map_index),
    task_id: row.task_id,
    dag_id: row.dag_id,
    dag_run_id: row.run_id,
    map_index: row.map_index,
    logical_date: row.run_has_logical_date === 0 ? null : apiDate(row.run_logical_date),
    run_after: apiDate(runAfter({ run_type: row.run_type, data_interval_end: row.run_data_interval_end, logical_date: row.run_logical_date }))!,
    start_date: apiDate(row.start_date),
    end_date: apiDate(row.end_date),
    duration: row.duration,
    state: row.state,
    try_number: row.try_number,
    max_tries: row.max_tries,
    task_display_name: row.task_id,
    dag_display_name: row.dag_id,
    hostname: row.hostname,
    unixname: row.unixname,
    pool: row.pool,
    pool_slots: row.pool_slots,
    queue: row.queue,
    priority_weight: row.priority_weight,
    operator: row.operator,
    operator_name: row.operator,
    queued_when: apiDate(row.queued_dttm),
    scheduled_when: null,
    pid: row.pid,
    executor: null,
    executor_config: '{}',
    note: row.note,
    rendered_map_index: null,
    rendered_fields: {},
    trigger: null,
    triggerer_job: null,
    dag_version: null,
  };
}
