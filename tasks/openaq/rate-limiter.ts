// A client-side rate limiter that keeps under OpenAQ's limits so requests wait instead of being refused.
//
// The server counts requests in fixed windows keyed per clock minute (docs.openaq.org/using-the-api/rate-limits), by arrival time, which the
// client does not see. A request therefore holds its slot from the moment it starts until `windowMs` after its
// response ends: every request the server counts in one clock window [M, M+W) arrived at or after M, so it ended at
// or after M, so it still held its slot when the last of them started (before M+W). Hence no more than `limit` in
// any server window, whatever the network delay or the phase of the server's clock, at the cost of one round trip
// per window. The server's own x-ratelimit-remaining / -reset headers pause everything until its window resets.
export interface RateRule {
  /** Requests per window; 0 or less turns the rule off. */
  limit: number;
  windowMs: number;
}

/** One request's claim on the limit: `end` is null while the request is in flight. */
export interface Slot {
  end: number | null;
}

/**
 * Pure: the earliest time at which one more request may start: `now` (or `pausedUntil`) when a slot is free, a later
 * time when the oldest finished requests free theirs, or null when only an in-flight request's end can free one.
 */
export function nextStart(slots: readonly Slot[], rules: readonly RateRule[], now: number, pausedUntil = 0): number | null {
  let at = Math.max(now, pausedUntil);
  const inFlight = slots.filter((s) => s.end === null).length;
  for (const rule of rules) {
    if (rule.limit <= 0) continue;
    if (inFlight >= rule.limit) return null;
    // Finished requests still holding a slot at `at`, by the time they free it.
    const frees = slots
      .filter((s) => s.end !== null && s.end + rule.windowMs > at)
      .map((s) => (s.end as number) + rule.windowMs)
      .sort((a, b) => a - b);
    const busy = inFlight + frees.length;
    if (busy >= rule.limit) at = Math.max(at, frees[busy - rule.limit]);
  }
  return at;
}

/** x-ratelimit-remaining / x-ratelimit-reset (seconds) -> the time until which to pause, or undefined. */
export function pauseFromHeaders(headers: Headers, now: number): number | undefined {
  const remaining = headers.get('x-ratelimit-remaining');
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (remaining == null || Number(remaining) > 0 || !Number.isFinite(reset) || reset < 0) return undefined;
  // reset counts whole seconds: the window ends within it. Never trust it for more than an hour.
  return now + Math.min(reset, 3600) * 1000;
}

export class RateLimiter {
  private slots: Slot[] = [];
  private pausedUntil = 0;
  private wakers = new Set<() => void>();
  private waiting = 0;
  private keyShared = false;
  private waitStart = 0;
  /** Wall-clock milliseconds during which at least one request was held back. */
  waitedMs = 0;

  constructor(
    readonly rules: RateRule[],
    private readonly clock: () => number = Date.now,
  ) {}

  /** OpenAQ's two limits (per minute and per hour); the hour is 60 windows long. */
  static perMinuteAndHour(perMinute: number, perHour: number, windowMs = 60_000): RateLimiter {
    return new RateLimiter([
      { limit: perMinute, windowMs },
      { limit: perHour, windowMs: windowMs * 60 },
    ]);
  }

  private get active(): boolean {
    return this.rules.some((r) => r.limit > 0);
  }

  /** Wait for a slot; call release(slot) when the response has been read (or the request failed). */
  async acquire(signal?: AbortSignal): Promise<Slot> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock();
      this.prune(now);
      const at = this.active ? nextStart(this.slots, this.rules, now, this.pausedUntil) : Math.max(now, this.pausedUntil);
      if (at !== null && at <= now) {
        const slot: Slot = { end: null };
        if (this.active) this.slots.push(slot);
        return slot;
      }
      await this.hold(at === null ? undefined : at - now, signal);
    }
  }

  release(slot: Slot): void {
    slot.end = this.clock();
    this.wakeAll();
  }

  /** Until when (epoch ms) the server's headers hold every request back; 0 if they never did. */
  get pausedUntilMs(): number {
    return this.pausedUntil;
  }

  /** Hold every request back until `until` (epoch ms): the server said its window is used up. */
  pauseUntil(until: number): void {
    if (until > this.pausedUntil) this.pausedUntil = until;
  }

  /**
   * Read the server's rate-limit headers; true when they pause requests. A 429 with nothing remaining pauses until
   * the window resets, and from then on (someone else uses the key) so does "remaining: 0" on any answer. Before
   * that, "remaining: 0" on an answered request is ignored when this limiter is at least as strict as the server:
   * it already waits long enough, and the reset, rounded to whole seconds, would only add delay.
   */
  observe(headers: Headers, status = 200): boolean {
    const until = pauseFromHeaders(headers, this.clock());
    if (until === undefined) return false;
    if (status === 429) this.keyShared = true;
    else if (!this.keyShared && this.atLeastAsStrictAs(Number(headers.get('x-ratelimit-limit')))) return false;
    this.pauseUntil(until);
    return true;
  }

  /** Whether the shortest active rule allows no more than `serverLimit` per window. */
  private atLeastAsStrictAs(serverLimit: number): boolean {
    const active = this.rules.filter((r) => r.limit > 0).sort((a, b) => a.windowMs - b.windowMs);
    return active.length > 0 && Number.isFinite(serverLimit) && serverLimit > 0 && active[0].limit <= serverLimit;
  }

  private prune(now: number): void {
    const longest = Math.max(0, ...this.rules.map((r) => r.windowMs));
    if (this.slots.length > 64) this.slots = this.slots.filter((s) => s.end === null || s.end + longest > now);
  }

  private wakeAll(): void {
    for (const w of [...this.wakers]) w();
  }

  private hold(ms: number | undefined, signal?: AbortSignal): Promise<void> {
    if (this.waiting++ === 0) this.waitStart = this.clock();
    return new Promise<void>((resolve, reject) => {
      const done = (err?: unknown) => {
        if (timer) clearTimeout(timer);
        this.wakers.delete(wake);
        signal?.removeEventListener('abort', onAbort);
        if (--this.waiting === 0) this.waitedMs += this.clock() - this.waitStart;
        if (err) reject(err);
        else resolve();
      };
      const wake = () => done();
      const onAbort = () => done(signal?.reason ?? new Error('aborted'));
      const timer = ms === undefined ? undefined : setTimeout(wake, Math.max(1, ms));
      this.wakers.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
