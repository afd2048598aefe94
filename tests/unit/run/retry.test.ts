import { describe, expect, it } from 'vitest';
import { isEligibleToRetry, nextRetryAt, pythonStr, retryDelaySec, type RetryPolicy } from '../../../engine/run/retry.js';

const backoff: RetryPolicy = { retries: 5, retryDelaySec: 300, retryExponentialBackoff: true, maxRetryDelaySec: null };
const key = (tryNumber: number, taskId = 'extract') => ({ dagId: 'openaq', taskId, logicalDate: new Date('2024-01-01T00:00:00Z'), tryNumber });

describe('isEligibleToRetry', () => {
  it('allows retries + 1 attempts in all (try_number <= max_tries)', () => {
    expect(isEligibleToRetry({ retries: 2, tryNumber: 1, maxTries: 2 })).toBe(true);
    expect(isEligibleToRetry({ retries: 2, tryNumber: 2, maxTries: 2 })).toBe(true);
    expect(isEligibleToRetry({ retries: 2, tryNumber: 3, maxTries: 2 })).toBe(false);
  });
  it('never retries a task without retries', () => {
    expect(isEligibleToRetry({ retries: 0, tryNumber: 1, maxTries: 0 })).toBe(false);
    expect(isEligibleToRetry({ retries: 0, tryNumber: 1, maxTries: 3 })).toBe(false);
  });
  it('honours max_tries raised by a clear (a fresh set of retries)', () => {
    expect(isEligibleToRetry({ retries: 1, tryNumber: 3, maxTries: 3 })).toBe(true);
  });
  it('always retries a restarting task', () => {
    expect(isEligibleToRetry({ retries: 0, tryNumber: 9, maxTries: 0, state: 'restarting' })).toBe(true);
  });
});

describe('retry delay', () => {
  it('without backoff is end_date + retry_delay', () => {
    const policy: RetryPolicy = { retries: 3, retryDelaySec: 300, retryExponentialBackoff: false, maxRetryDelaySec: 60 };
    const end = new Date('2024-01-02T10:00:00Z');
    expect(nextRetryAt(policy, key(1), end).toISOString()).toBe('2024-01-02T10:05:00.000Z');
    expect(nextRetryAt(policy, key(3), end).toISOString()).toBe('2024-01-02T10:05:00.000Z');
  });

  it('with backoff lies in [d·2^(n-1), 2·d·2^(n-1) - 1] (the example of Airflow\'s next_retry_datetime)', () => {
    const ranges: Array<[number, number, number]> = [[1, 300, 599], [2, 600, 1199], [3, 1200, 2399]];
    for (const [n, lo, hi] of ranges) {
      for (const task of ['extract', 'load_raw', 'transform', 'load_star', 'a', 'b', 'c', 'd']) {
        const d = retryDelaySec(backoff, key(n, task));
        expect(d).toBeGreaterThanOrEqual(lo);
        expect(d).toBeLessThanOrEqual(hi);
        expect(Number.isInteger(d)).toBe(true);
      }
    }
  });

  it('is deterministic for the same key and varies with the key', () => {
    expect(retryDelaySec(backoff, key(2))).toBe(retryDelaySec(backoff, key(2)));
    const spread = new Set(['t1', 't2', 't3', 't4', 't5', 't6'].map((t) => retryDelaySec(backoff, key(1, t))));
    expect(spread.size).toBeGreaterThan(1);
  });

  it("matches Airflow's sha1 jitter bit for bit (values computed with Python's hashlib)", () => {
    // int(sha1(b"openaq#extract#2024-01-01 00:00:00+00:00#<n>").hexdigest(), 16) % min_backoff + min_backoff
    expect([1, 2, 3, 4].map((n) => retryDelaySec(backoff, key(n)))).toEqual([338, 868, 1901, 4496]);
    const withMicros = { dagId: 'openaq', taskId: 'load_star', logicalDate: new Date('2024-04-19T22:00:00.123Z'), tryNumber: 2 };
    expect(retryDelaySec({ ...backoff, retryDelaySec: 60 }, withMicros)).toBe(215);
  });

  it("formats execution_date like Python's str(datetime)", () => {
    expect(pythonStr(new Date('2024-01-01T00:00:00Z'))).toBe('2024-01-01 00:00:00+00:00');
    expect(pythonStr(new Date('2024-04-19T22:00:00.123Z'))).toBe('2024-04-19 22:00:00.123000+00:00');
  });

  it('is capped by max_retry_delay', () => {
    expect(retryDelaySec({ ...backoff, maxRetryDelaySec: 900 }, key(3))).toBe(900);
    expect(retryDelaySec({ ...backoff, maxRetryDelaySec: 900 }, key(1))).toBe(338);
  });

  it('treats a zero max_retry_delay as no cap, like Python', () => {
    expect(retryDelaySec({ ...backoff, maxRetryDelaySec: 0 }, key(1))).toBe(338);
  });

  it('is capped at one day', () => {
    expect(retryDelaySec(backoff, key(10))).toBe(86_400);
    expect(retryDelaySec(backoff, key(5000))).toBe(86_400);
    expect(retryDelaySec({ ...backoff, maxRetryDelaySec: 100_000 }, key(12))).toBe(86_400);
  });

  it('is at least one second', () => {
    expect(retryDelaySec({ ...backoff, retryDelaySec: 0 }, key(1))).toBe(1);
    expect(retryDelaySec({ ...backoff, retryDelaySec: 0.2 }, key(1))).toBe(1);
  });

  it('schedules the retry after the end of the failed attempt', () => {
    const end = new Date('2024-01-02T10:00:00Z');
    expect(nextRetryAt(backoff, key(1), end).getTime() - end.getTime()).toBe(338_000);
  });
});
