// Row shapes of the state database, as stored (times are UTC ISO strings, booleans 0/1, JSON as text).
import type { DagRunState, RunType, TaskState, TriggeredBy } from '../types.js';

export interface DagRow {
  dag_id: string;
  is_paused: number;
  is_active: number;
  fileloc: string | null;
  owners: string | null;
  description: string | null;
  schedule_interval: string | null;
  timetable_description: string | null;
  timezone: string | null;
  max_active_runs: number | null;
  max_active_tasks: number | null;
  has_import_errors: number;
  last_parsed_time: string | null;
  tags: string;
  next_dagrun: string | null;
  next_dagrun_data_interval_start: string | null;
  next_dagrun_data_interval_end: string | null;
  next_dagrun_create_after: string | null;
}

export interface DagRunRow {
  id: number;
  dag_id: string;
  run_id: string;
  run_type: RunType;
  logical_date: string;
  data_interval_start: string | null;
  data_interval_end: string | null;
  state: DagRunState;
  queued_at: string | null;
  start_date: string | null;
  end_date: string | null;
  external_trigger: number;
  conf: string;
  last_scheduling_decision: string | null;
  clear_number: number;
  note: string | null;
  updated_at: string | null;
  /** The job driving this run (a `dag run`, a `dag backfill` or the scheduler); null when none does. */
  driver_job_id: number | null;
  /** Why a queued run has not started (e.g. max_active_runs is full); null once it runs. */
  waiting_reason: string | null;
  /** The backfill this run belongs to (Airflow 3's dag_run.backfill_id); null for others. */
  backfill_id?: number | null;
  /** Airflow 3's DagRunTriggeredByType: who made the run (cli, rest_api, timetable, backfill, test...). */
  triggered_by: TriggeredBy | null;
  triggering_user_name: string | null;
  /** 0 when the run was triggered without a logical date (its logical_date column then holds its run_after). */
  has_logical_date: number;
}

export interface TaskInstanceRow {
  dag_id: string;
  run_id: string;
  task_id: string;
  map_index: number;
  state: TaskState;
  try_number: number;
  max_tries: number;
  start_date: string | null;
  end_date: string | null;
  duration: number | null;
  hostname: string | null;
  unixname: string | null;
  pid: number | null;
  job_id: number | null;
  pool: string;
  pool_slots: number;
  queue: string;
  priority_weight: number;
  operator: string | null;
  queued_dttm: string | null;
  queued_by_job_id: number | null;
  next_retry_at: string | null;
  last_heartbeat_at: string | null;
  updated_at: string | null;
  /** Attempts in a row whose runner died under them (reset to 0 when an attempt ends on its own). */
  interrupted_tries: number;
  /** Tries given back because their attempt was interrupted (max_tries includes them). */
  refunded_tries: number;
  note: string | null;
}

export interface TaskInstanceHistoryRow {
  id: number;
  dag_id: string;
  run_id: string;
  task_id: string;
  map_index: number;
  try_number: number;
  state: TaskState;
  start_date: string | null;
  end_date: string | null;
  duration: number | null;
  hostname: string | null;
  pid: number | null;
  job_id: number | null;
}

export interface ImportErrorRow {
  id: number;
  timestamp: string;
  filename: string;
  stacktrace: string;
}

export interface PoolRow {
  id: number;
  pool: string;
  slots: number;
  description: string | null;
  include_deferred: number;
}

export interface VariableRow {
  id: number;
  key: string;
  val: string;
  description: string | null;
  is_encrypted: number;
  created_at: string;
  updated_at: string;
}

export interface BackfillRow {
  id: number;
  dag_id: string;
  from_date: string;
  to_date: string;
  dag_run_conf: string;
  is_paused: number;
  reprocess_behavior: 'none' | 'failed' | 'completed';
  max_active_runs: number;
  triggering_user_name: string | null;
  created_at: string;
  completed_at: string | null;
  updated_at: string;
}

export interface JobRow {
  id: number;
  dag_id: string | null;
  state: string;
  job_type: string;
  start_date: string;
  end_date: string | null;
  latest_heartbeat: string;
  executor_class: string | null;
  hostname: string | null;
  unixname: string | null;
  pid: number | null;
}

export interface EventLogRow {
  id: number;
  dttm: string;
  dag_id: string | null;
  task_id: string | null;
  map_index: number | null;
  event: string;
  execution_date: string | null;
  run_id: string | null;
  owner: string | null;
  try_number: number | null;
  extra: string | null;
}

export const iso = (d: Date = new Date()): string => d.toISOString();
