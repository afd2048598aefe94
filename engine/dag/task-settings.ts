// A task's settings: the task's own value, else its groups' default_args (innermost first), else the DAG's
// default_args, else Airflow's default (airflow/models/baseoperator.py). Values were type-checked by zod already.
import type { TaskSpec, TriggerRule, WeightRule } from '../types.js';
import { DATE_HINT, parseDate } from './dates.js';
import { excerpt } from './excerpt.js';
import { report, type DagContext } from './dag-context.js';
import { durationSeconds } from './durations.js';
import { checkName } from './names.js';
import { valuePos, type Dict } from './located.js';

/** Settings written under more than one name (the `_sec` spellings are dag-factory's legacy ones). */
export const SETTING_ALIASES = [
  ['retry_delay', 'retry_delay_sec'],
  ['max_retry_delay', 'max_retry_delay_sec'],
  ['execution_timeout', 'execution_timeout_sec', 'execution_timeout_secs'],
] as const;

const LEGACY_TRIGGER_RULES: Record<string, TriggerRule> = { dummy: 'always', none_failed_or_skipped: 'none_failed_min_one_success' };

export type TaskSettings = Pick<
  TaskSpec,
  | 'triggerRule'
  | 'retries'
  | 'retryDelaySec'
  | 'retryExponentialBackoff'
  | 'maxRetryDelaySec'
  | 'executionTimeoutSec'
  | 'pool'
  | 'poolSlots'
  | 'priorityWeight'
  | 'weightRule'
  | 'dependsOnPast'
  | 'owner'
  | 'startDate'
  | 'endDate'
>;

interface Found {
  value: unknown;
  layer: Dict;
  key: string;
}

function pick(layers: readonly Dict[], names: readonly string[]): Found | undefined {
  for (const layer of layers) for (const key of names) if (layer[key] !== undefined) return { value: layer[key], layer, key };
  return undefined;
}

/** A date setting read in the DAG's time zone; a bad one is reported where it is written. */
export function dateSetting(ctx: DagContext, layers: readonly Dict[], key: string): Date | null {
  const f = pick(layers, [key]);
  if (!f || f.value == null || typeof f.value !== 'string') return null;
  const d = parseDate(f.value, ctx.timezone, ctx.now);
  if (!d) report(ctx, valuePos(f.layer, f.key), `${key} '${excerpt(f.value)}' is not a date (${DATE_HINT})`);
  return d;
}

export function resolveTaskSettings(ctx: DagContext, layers: readonly Dict[], dagStart: Date | null, dagEnd: Date | null): TaskSettings {
  const get = <T>(names: readonly string[], fallback: T): T => {
    const f = pick(layers, names);
    return f === undefined ? fallback : (f.value as T);
  };
  const seconds = (names: readonly string[], fallback: number | null): number | null => {
    const f = pick(layers, names);
    return f === undefined || f.value == null ? (f === undefined ? fallback : null) : durationSeconds(f.value);
  };
  const rule = get<string>(['trigger_rule'], 'all_success');
  // Airflow: a task starts on the later of its own start_date and the DAG's, and ends on the earlier end_date.
  let startDate = dateSetting(ctx, layers, 'start_date');
  startDate = startDate && dagStart ? new Date(Math.max(+startDate, +dagStart)) : (startDate ?? dagStart);
  let endDate = dateSetting(ctx, layers, 'end_date');
  endDate = endDate && dagEnd ? new Date(Math.min(+endDate, +dagEnd)) : (endDate ?? dagEnd);
  const pool = pick(layers, ['pool']);
  const poolIssue = pool && typeof pool.value === 'string' ? checkName('pool', pool.value) : null;
  if (pool && poolIssue) report(ctx, valuePos(pool.layer, pool.key), poolIssue);
  return {
    triggerRule: LEGACY_TRIGGER_RULES[rule] ?? (rule as TriggerRule),
    retries: get(['retries'], 0),
    retryDelaySec: seconds(SETTING_ALIASES[0], 300) ?? 300,
    retryExponentialBackoff: get(['retry_exponential_backoff'], false),
    maxRetryDelaySec: seconds(SETTING_ALIASES[1], null),
    executionTimeoutSec: seconds(SETTING_ALIASES[2], null),
    pool: get(['pool'], 'default_pool'),
    poolSlots: get(['pool_slots'], 1),
    priorityWeight: get(['priority_weight'], 1),
    weightRule: get<WeightRule>(['weight_rule'], 'downstream'),
    dependsOnPast: get(['depends_on_past'], false),
    owner: get(['owner'], 'airflow'),
    startDate,
    endDate,
  };
}
