// The DAG file format (dag-factory dialect) as zod schemas: the raw shapes a user writes. Compiled once at import;
// the loader validates with the loose variants (it reports unknown keys itself, with "did you mean"), and
// json-schema.ts turns the strict variants into the JSON Schema editors use.
import { z } from 'zod';
import { TRIGGER_RULES } from '../types.js';

const num = z.number();

export const TIMEDELTA_TYPES = ['datetime.timedelta', 'timedelta'] as const;

export const Timedelta = z
  .strictObject({
    __type__: z.enum(TIMEDELTA_TYPES),
    weeks: num.optional(),
    days: num.optional(),
    hours: num.optional(),
    minutes: num.optional(),
    seconds: num.optional(),
    milliseconds: num.optional(),
    microseconds: num.optional(),
  })
  .meta({ id: 'Timedelta', description: 'A Python datetime.timedelta, e.g. {__type__: datetime.timedelta, minutes: 5}' });

export const Duration = z
  .union([z.number().min(0), Timedelta], { error: 'expected a number of seconds or {__type__: datetime.timedelta, ...}' })
  .meta({ id: 'Duration', description: 'A duration: a number of seconds, or a datetime.timedelta object' });

const seconds = z.number().min(0);

export const DateValue = z
  .string({ error: "expected a date (YYYY-MM-DD, an ISO datetime or 'N days')" })
  .meta({
    id: 'Date',
    description: "YYYY-MM-DD, an ISO datetime with or without offset, or 'N days' (the start of today minus N days); naive values are in the DAG's timezone",
  });

export const CRON_TIMETABLE_TYPES = [
  'airflow.timetables.trigger.CronTriggerTimetable',
  'airflow.timetables.interval.CronDataIntervalTimetable',
] as const;

const CronTimetable = z.strictObject({
  __type__: z.enum(CRON_TIMETABLE_TYPES),
  cron: z.string(),
  timezone: z.string().optional(),
});

export const ScheduleValue = z
  .union([z.string(), z.null(), z.discriminatedUnion('__type__', [Timedelta, CronTimetable])], {
    error: "expected a cron expression, a preset like '@daily', null, or a {__type__: ...} timedelta or timetable",
  })
  .meta({
    id: 'Schedule',
    description: "A cron expression ('0 3 * * *'), a preset (@hourly @daily @weekly @monthly @quarterly @yearly @once), null or 'none' for manual runs only, a datetime.timedelta, or a CronTriggerTimetable",
  });

export const TRIGGER_RULE_NAMES = [...TRIGGER_RULES, 'dummy', 'none_failed_or_skipped'] as const;

const ignored = z.unknown().meta({ id: 'IgnoredCallback', description: 'Accepted for dag-factory compatibility and ignored: windsock does not run Python callbacks' });

function callbackShape(names: readonly string[]): Record<string, typeof ignored> {
  const shape: Record<string, typeof ignored> = {};
  for (const n of names) for (const suffix of ['', '_name', '_file']) shape[n + suffix] = ignored;
  return shape;
}

export const TASK_CALLBACK_KEYS = Object.keys(
  callbackShape(['on_success_callback', 'on_failure_callback', 'on_retry_callback', 'on_execute_callback', 'on_skipped_callback']),
);

/** Settings of a task that may also be given in `default_args` (the task's value wins). */
export const taskSettingsShape = {
  owner: z.string(),
  start_date: DateValue,
  end_date: DateValue,
  retries: z.int().min(0),
  retry_delay: Duration,
  retry_delay_sec: seconds,
  retry_exponential_backoff: z.boolean(),
  max_retry_delay: Duration.nullable(),
  max_retry_delay_sec: seconds.nullable(),
  execution_timeout: Duration.nullable(),
  execution_timeout_sec: seconds.nullable(),
  execution_timeout_secs: seconds.nullable(),
  trigger_rule: z.enum(TRIGGER_RULE_NAMES),
  pool: z.string().min(1),
  pool_slots: z.int().min(1),
  priority_weight: z.int(),
  weight_rule: z.enum(['downstream', 'upstream', 'absolute']),
  depends_on_past: z.boolean(),
  email: z.union([z.string(), z.array(z.string())]).nullable().meta({ description: 'Accepted and ignored (windsock sends no e-mail)' }),
  email_on_failure: z.boolean().meta({ description: 'Accepted and ignored' }),
  email_on_retry: z.boolean().meta({ description: 'Accepted and ignored' }),
  ...callbackShape(['on_success_callback', 'on_failure_callback', 'on_retry_callback', 'on_execute_callback', 'on_skipped_callback']),
};

export const defaultArgsShape = {
  ...taskSettingsShape,
  timezone: z.string().meta({ description: "IANA time zone used to read naive dates when the DAG has no 'timezone'" }),
};

/** Keys a task has besides its settings and its operator's arguments (dag-factory's "system params"). */
export const taskSystemShape = {
  task_id: z.string(),
  operator: z.string(),
  dependencies: z.array(z.string()).meta({ description: 'Upstream task ids or task group names' }),
  task_group_name: z.string(),
  doc: z.string(),
  doc_md: z.string(),
};

export const groupShape = {
  group_name: z.string(),
  tooltip: z.string(),
  dependencies: z.array(z.string()),
  parent_group_name: z.string(),
  prefix_group_id: z.boolean(),
  ui_color: z.string(),
  ui_fgcolor: z.string(),
};

export const dagShape = {
  description: z.string().nullable(),
  schedule: ScheduleValue,
  schedule_interval: ScheduleValue.meta({ description: "Legacy name of 'schedule'" }),
  timezone: z.string().meta({ description: 'IANA time zone of the DAG (cron schedules, naive dates); default UTC' }),
  catchup: z.boolean(),
  start_date: DateValue,
  end_date: DateValue,
  max_active_runs: z.int().min(1),
  max_active_tasks: z.int().min(1),
  concurrency: z.int().min(1).meta({ description: "Legacy name of 'max_active_tasks'" }),
  dagrun_timeout: Duration.nullable(),
  dagrun_timeout_sec: seconds.nullable(),
  tags: z.array(z.string()),
  params: z.record(z.string(), z.unknown()),
  doc_md: z.string().nullable(),
  default_view: z.string().meta({ description: 'Airflow UI setting; accepted and ignored' }),
  orientation: z.string().meta({ description: 'Airflow UI setting; accepted and ignored' }),
  render_template_as_native_obj: z.boolean(),
  operator_aliases: z
    .array(z.strictObject({ operator_alias: z.string(), operator_path: z.string() }))
    .meta({ description: "dag-factory's short names for operators: [{operator_alias: Bash, operator_path: airflow.operators.bash.BashOperator}]" }),
  // dag-factory passes task callbacks given at the DAG level on to the tasks
  ...callbackShape(['on_success_callback', 'on_failure_callback', 'sla_miss_callback', 'on_retry_callback', 'on_execute_callback', 'on_skipped_callback']),
};

// What the loader checks key by key (dag-context.ts checkShape).
export const taskShape = { ...taskSystemShape, ...taskSettingsShape };
/** Keys of a DAG validated on their own (nested maps and lists with their own rules). */
export const DAG_NESTED_KEYS: ReadonlySet<string> = new Set(['default_args', 'tasks', 'task_groups']);
export const TASK_SETTING_KEYS = Object.keys(taskSettingsShape);
export const TASK_SYSTEM_KEYS = Object.keys(taskSystemShape);
