// The engine's shared vocabulary: plain data that every room of engine/ speaks (a deliberate hub).
// Names and values follow Airflow 2.x (airflow/utils/state.py, airflow/utils/trigger_rule.py) so a data engineer recognises them.

/** Task-instance states. `null` in the database is Airflow's `none`. */
export const TASK_STATES = [
  'scheduled',
  'queued',
  'running',
  'success',
  'failed',
  'up_for_retry',
  'upstream_failed',
  'skipped',
  'removed',
  'restarting',
] as const;
export type TaskState = (typeof TASK_STATES)[number] | null;

export const FINISHED_STATES: ReadonlySet<TaskState> = new Set(['success', 'failed', 'skipped', 'upstream_failed', 'removed']);

export const DAG_RUN_STATES = ['queued', 'running', 'success', 'failed'] as const;
export type DagRunState = (typeof DAG_RUN_STATES)[number];

export const TRIGGER_RULES = [
  'all_success',
  'all_failed',
  'all_done',
  'all_skipped',
  'one_success',
  'one_failed',
  'one_done',
  'none_failed',
  'none_failed_min_one_success',
  'none_skipped',
  'always',
] as const;
export type TriggerRule = (typeof TRIGGER_RULES)[number];

export type RunType = 'scheduled' | 'manual' | 'backfill';

/** Who made a run (Airflow 3's DagRunTriggeredByType). */
export const TRIGGERED_BY = ['cli', 'operator', 'rest_api', 'ui', 'test', 'timetable', 'asset', 'backfill'] as const;
export type TriggeredBy = (typeof TRIGGERED_BY)[number];

export type WeightRule = 'downstream' | 'upstream' | 'absolute';

/** A schedule, already decoded from the DAG file (presets are expanded to cron by the loader). */
export type ScheduleSpec =
  | { kind: 'cron'; expr: string; /** what the file said, e.g. "@daily" */ source: string }
  | { kind: 'delta'; seconds: number; source: string }
  | { kind: 'once'; source: string }
  | { kind: 'none'; source: string };

export interface TaskSpec {
  taskId: string;
  /** Canonical operator name from the registry ("bash", "empty", "openaq.extract", ...). */
  operator: string;
  /** Operator arguments as validated by the operator's zod schema; strings may hold templates. */
  args: Record<string, unknown>;
  /** Direct upstream task ids. */
  upstream: string[];
  triggerRule: TriggerRule;
  retries: number;
  retryDelaySec: number;
  retryExponentialBackoff: boolean;
  maxRetryDelaySec: number | null;
  executionTimeoutSec: number | null;
  pool: string;
  poolSlots: number;
  priorityWeight: number;
  weightRule: WeightRule;
  dependsOnPast: boolean;
  owner: string;
  startDate: Date | null;
  endDate: Date | null;
  /** Task group id when the task belongs to one (the task id is prefixed with it). */
  group: string | null;
  doc: string | null;
  /** Where the task is defined, for error messages. */
  line: number | null;
}

export interface DagSpec {
  dagId: string;
  /** Absolute path of the DAG file. */
  fileloc: string;
  description: string | null;
  schedule: ScheduleSpec;
  /** IANA time zone name; "UTC" by default. */
  timezone: string;
  startDate: Date | null;
  endDate: Date | null;
  catchup: boolean;
  maxActiveRuns: number;
  maxActiveTasks: number;
  dagrunTimeoutSec: number | null;
  tags: string[];
  params: Record<string, unknown>;
  docMd: string | null;
  owner: string;
  /** Tasks in file order. */
  tasks: TaskSpec[];
  line: number | null;
}

/** An error a user can cause, with where it is and what to do about it. Printed once, never with a stack. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** A problem found in one DAG file, stored as an import error ("Broken DAG"). */
export interface ImportProblem {
  file: string;
  line: number | null;
  column: number | null;
  message: string;
  /** The DAG the problem belongs to, when it can be told. */
  dagId?: string;
}

export function formatProblem(p: ImportProblem): string {
  const where = p.line != null ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  return `${where}: ${p.message}`;
}
