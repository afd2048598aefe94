// Retries (airflow/models/taskinstance.py: is_eligible_to_retry, next_retry_datetime): who may retry, and when, and so
// the state an ended attempt leaves. The exponential backoff reproduces Airflow's next_retry_datetime() bit for bit,
// including its deterministic sha1 "jitter".
import { createHash } from 'node:crypto';
import type { TaskSpec, TaskState } from '../types.js';
import type { TaskInstanceRow } from '../state/rows.js';
import type { AttemptOutcome } from './attempt.js';

export interface RetryPolicy {
  retries: number;
  retryDelaySec: number;
  retryExponentialBackoff: boolean;
  maxRetryDelaySec: number | null;
}

export interface RetryKey {
  dagId: string;
  taskId: string;
  logicalDate: Date;
  /** The attempt that just failed (1-based). */
  tryNumber: number;
}

/** Airflow's MAX_RETRY_DELAY ([core] max_task_retry_delay default): one day. */
const MAX_RETRY_DELAY_SEC = 86_400;

/** is_eligible_to_retry(): a restarting task always is; otherwise it needs retries and attempts left. */
export function isEligibleToRetry(p: { retries: number; tryNumber: number; maxTries: number; state?: TaskState }): boolean {
  if (p.state === 'restarting') return true;
  return p.retries > 0 && p.tryNumber <= p.maxTries;
}

/** Seconds to wait after the failed attempt `key.tryNumber` ends. */
export function retryDelaySec(policy: RetryPolicy, key: RetryKey): number {
  const delay = policy.retryDelaySec;
  if (!policy.retryExponentialBackoff) return delay;
  const minBackoff = Math.max(1, Math.ceil(delay * 2 ** (key.tryNumber - 1)));
  // modded = min + hash % min lies in [min, 2*min - 1], so a min at or past the cap gives the cap (and avoids BigInt
  // overflow for absurd try numbers).
  let seconds = MAX_RETRY_DELAY_SEC;
  if (minBackoff < MAX_RETRY_DELAY_SEC) {
    const jitter = Number(tiHash(key) % BigInt(minBackoff));
    seconds = Math.min(minBackoff + jitter, MAX_RETRY_DELAY_SEC);
  }
  // Python: `if self.task.max_retry_delay:` (a zero timedelta is falsy, so 0 means no cap).
  if (policy.maxRetryDelaySec) seconds = Math.min(policy.maxRetryDelaySec, seconds);
  return seconds;
}

export function nextRetryAt(policy: RetryPolicy, key: RetryKey, endDate: Date): Date {
  return new Date(endDate.getTime() + retryDelaySec(policy, key) * 1000);
}

/** int(sha1(f"{dag_id}#{task_id}#{execution_date}#{try_number}").hexdigest(), 16) */
function tiHash(key: RetryKey): bigint {
  const hex = createHash('sha1').update(`${key.dagId}#${key.taskId}#${pythonStr(key.logicalDate)}#${key.tryNumber}`).digest('hex');
  return BigInt(`0x${hex}`);
}

/** Python's str() of an aware UTC datetime: 2024-01-01 00:00:00+00:00 (microseconds only when non-zero). */
export function pythonStr(d: Date): string {
  const iso = d.toISOString();
  const ms = iso.slice(20, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms === '000' ? '' : `.${ms}000`}+00:00`;
}

/**
 * "3 of 4", and when interrupted attempts were given back (so the count passes retries + 1) why: "5 of 6 (2
 * interrupted attempts did not count)".
 */
export function attemptOf(ti: Pick<TaskInstanceRow, 'try_number' | 'max_tries' | 'refunded_tries'>): string {
  const refunded = ti.refunded_tries ?? 0;
  const why = refunded > 0 ? ` (${refunded} interrupted attempt${refunded > 1 ? 's' : ''} did not count)` : '';
  return `${ti.try_number} of ${ti.max_tries + 1}${why}`;
}

/**
 * The state an ended attempt leaves its task instance in: success or skipped as reported; up_for_retry at its retry
 * time while retries remain (and the operator did not fail for good); else failed. A task gone from the DAG fails.
 */
export function endState(task: TaskSpec | undefined, ti: TaskInstanceRow, logicalDate: string, result: AttemptOutcome, now: Date): { state: Exclude<TaskState, null>; retryAt: Date | null } {
  if (result.outcome === 'success' || result.outcome === 'skipped') return { state: result.outcome, retryAt: null };
  if (task && !result.noRetry && isEligibleToRetry({ retries: task.retries, tryNumber: ti.try_number, maxTries: ti.max_tries })) {
    const retryAt = nextRetryAt(task, { dagId: ti.dag_id, taskId: ti.task_id, logicalDate: new Date(logicalDate), tryNumber: ti.try_number }, now);
    return { state: 'up_for_retry', retryAt };
  }
  return { state: 'failed', retryAt: null };
}
