// The client's rate limiter: a request holds its slot from its start until a window after its response, so the
// server never counts more than the limit in any window, whatever the network delays and the phase of its clock.
import { describe, expect, it } from 'vitest';
import { RateLimiter, nextStart, pauseFromHeaders, type RateRule, type Slot } from '../../../tasks/openaq/rate-limiter.js';
import { hashInts, unit } from '../../../tasks/openaq/simulator/hash.js';

/**
 * A discrete-event run of `n` requests, `concurrency` at a time, under `rules`: each request's latency is drawn from
 * [1, maxLatency] ms and it reaches the server at a random moment of its round trip. Returns arrival times and the
 * time the last response came back.
 */
function simulate(n: number, concurrency: number, rules: RateRule[], maxLatency: number, seed: number) {
  const slots: Slot[] = [];
  const ends: { at: number; slot: Slot }[] = [];
  const arrivals: number[] = [];
  let t = 0;
  let started = 0;
  let finished = 0;
  let last = 0;
  while (finished < n) {
    const inFlight = slots.filter((s) => s.end === null).length;
    const at = started < n && inFlight < concurrency ? nextStart(slots, rules, t) : null;
    if (at !== null && at <= t) {
      const latency = 1 + Math.floor(unit(hashInts(seed, started, 1)) * maxLatency);
      arrivals.push(t + unit(hashInts(seed, started, 2)) * latency);
      const slot: Slot = { end: null };
      slots.push(slot);
      ends.push({ at: t + latency, slot });
      started++;
      continue;
    }
    ends.sort((a, b) => a.at - b.at);
    const nextEnd = ends[0]?.at ?? Infinity;
    const wake = Math.min(nextEnd, at ?? Infinity);
    t = wake;
    while (ends.length && ends[0].at <= t) {
      const e = ends.shift()!;
      e.slot.end = e.at;
      finished++;
      last = e.at;
    }
  }
  return { arrivals: arrivals.sort((a, b) => a - b), last };
}

/** The most arrivals in any half-open span of `windowMs` (covers every phase of the server's fixed windows). */
function busiestWindow(arrivals: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < arrivals.length; i++) {
    while (arrivals[j] < arrivals[i] - windowMs + 1e-9) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('nextStart', () => {
  const rule = { limit: 3, windowMs: 1000 };

  it('lets requests start at once while slots are free', () => {
    expect(nextStart([], [rule], 5)).toBe(5);
    expect(nextStart([{ end: 1 }, { end: null }], [rule], 5)).toBe(5);
  });

  it('waits a window after the oldest finished request when every slot is held', () => {
    expect(nextStart([{ end: 100 }, { end: 300 }, { end: 200 }], [rule], 400)).toBe(1100);
  });

  it('counts requests in flight, and waits for one of them to end when they alone fill the limit', () => {
    expect(nextStart([{ end: 100 }, { end: null }, { end: null }], [rule], 400)).toBe(1100);
    expect(nextStart([{ end: null }, { end: null }, { end: null }], [rule], 400)).toBeNull();
  });

  it('frees slots older than a window', () => {
    expect(nextStart([{ end: 100 }, { end: 200 }, { end: 300 }], [rule], 1300)).toBe(1300);
  });

  it('honours every rule and a pause', () => {
    const hour = { limit: 4, windowMs: 60_000 };
    const slots = [{ end: 0 }, { end: 10 }, { end: 20 }, { end: 5000 }];
    expect(nextStart(slots, [rule, hour], 6000)).toBe(60_000);
    expect(nextStart([], [rule], 10, 500)).toBe(500);
    expect(nextStart([{ end: 1 }], [{ limit: 0, windowMs: 1000 }], 10)).toBe(10);
  });
});

describe('the limiter keeps under the server limit in every window', () => {
  for (const [latency, seed] of [[5, 1], [400, 2], [3000, 3], [20_000, 4]] as const) {
    it(`60/min, 4 at a time, latencies up to ${latency} ms`, () => {
      const rules = [{ limit: 60, windowMs: 60_000 }, { limit: 2000, windowMs: 3_600_000 }];
      const { arrivals, last } = simulate(200, 4, rules, latency, seed);
      expect(arrivals).toHaveLength(200);
      expect(busiestWindow(arrivals, 60_000)).toBeLessThanOrEqual(60);
      // ... and, on a fast network, is not much slower than the limit requires: 200 requests need 3 windows.
      if (latency < 100) expect(last).toBeLessThan(3 * 60_000 + 1000);
    });
  }

  it('respects the hourly limit too', () => {
    const { arrivals } = simulate(130, 8, [{ limit: 60, windowMs: 1000 }, { limit: 100, windowMs: 60_000 }], 50, 9);
    expect(busiestWindow(arrivals, 60_000)).toBeLessThanOrEqual(100);
    expect(busiestWindow(arrivals, 1000)).toBeLessThanOrEqual(60);
  });
});

describe('pauseFromHeaders', () => {
  const h = (o: Record<string, string>) => new Headers(o);
  it('pauses until the reset when nothing remains', () => {
    expect(pauseFromHeaders(h({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '12' }), 1000)).toBe(13_000);
  });
  it('does not pause while requests remain, or without headers', () => {
    expect(pauseFromHeaders(h({ 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': '12' }), 1000)).toBeUndefined();
    expect(pauseFromHeaders(h({}), 1000)).toBeUndefined();
  });
});

describe('RateLimiter', () => {
  it('grants up to the limit at once, then holds the next until a window after the first response', async () => {
    const limiter = new RateLimiter([{ limit: 2, windowMs: 150 }]);
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    limiter.release(a);
    const releasedAt = a.end as number;
    limiter.release(b);
    await limiter.acquire();
    expect(Date.now()).toBeGreaterThanOrEqual(releasedAt + 150 - 1);
    expect(limiter.waitedMs).toBeGreaterThan(0);
  });

  it('stops waiting when the signal aborts', async () => {
    const limiter = new RateLimiter([{ limit: 1, windowMs: 60_000 }]);
    limiter.release(await limiter.acquire());
    const ac = new AbortController();
    const waiting = limiter.acquire(ac.signal);
    ac.abort(new Error('attempt stopped'));
    await expect(waiting).rejects.toThrow('attempt stopped');
  });

  it("follows the server's reset when it is stricter or refused a request, not when the limiter already is", () => {
    const spent = (limit: string) => new Headers({ 'x-ratelimit-limit': limit, 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '30' });
    const clock = () => 1_000_000;
    const same = new RateLimiter([{ limit: 60, windowMs: 60_000 }], clock);
    same.observe(spent('60'), 200);
    expect(same.pausedUntilMs).toBe(0);
    same.observe(spent('60'), 429);
    expect(same.pausedUntilMs).toBe(1_030_000);
    const looser = new RateLimiter([{ limit: 60, windowMs: 60_000 }], clock);
    looser.observe(spent('10'), 200);
    expect(looser.pausedUntilMs).toBe(1_030_000);
    const off = new RateLimiter([], clock);
    off.observe(spent('60'), 200);
    expect(off.pausedUntilMs).toBe(1_030_000);
  });

  it('does not hold anything back when its rules are off', async () => {
    const limiter = RateLimiter.perMinuteAndHour(0, 0);
    for (let i = 0; i < 100; i++) limiter.release(await limiter.acquire());
    expect(limiter.waitedMs).toBe(0);
  });
});
