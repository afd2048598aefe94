// Retries (airflow/models/taskinstance.py: is_eligible_to_retry, next_retry_datetime): who may retry, and when. The exponential backoff reproduces Airflow's
// next_retry_datetime() bit for bit, including its deterministic sha1 "jitter".
import { createHash } from 'node:crypto';
import type { TaskState } from '../types.js';

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
