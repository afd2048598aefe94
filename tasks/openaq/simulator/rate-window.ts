// The server side of OpenAQ's rate limit: a counter per key and fixed window (a clock minute by default), as in
// openaq_api/dependencies.py. Every request counts, refused ones included.
export interface RateDecision {
  allowed: boolean;
  limit: number;
  used: number;
  remaining: number;
  /** Whole seconds until the window ends (the x-ratelimit-reset header). */
  resetSeconds: number;
  windowStart: number;
}

export class FixedWindowCounter {
  private counts = new Map<string, number>();

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  hit(key: string, now: number): RateDecision {
    const windowStart = Math.floor(now / this.windowMs) * this.windowMs;
    const k = `${key}:${windowStart}`;
    const used = (this.counts.get(k) ?? 0) + 1;
    this.counts.set(k, used);
    if (this.counts.size > 1000) this.forgetBefore(windowStart);
    return {
      allowed: used <= this.limit,
      limit: this.limit,
      used,
      remaining: Math.max(0, this.limit - used),
      resetSeconds: Math.max(1, Math.ceil((windowStart + this.windowMs - now) / 1000)),
      windowStart,
    };
  }

  private forgetBefore(windowStart: number): void {
    for (const k of this.counts.keys()) if (Number(k.slice(k.lastIndexOf(':') + 1)) < windowStart) this.counts.delete(k);
  }
}

export function rateHeaders(d: RateDecision): Record<string, string> {
  return {
    'x-ratelimit-limit': String(d.limit),
    'x-ratelimit-remaining': String(d.remaining),
    'x-ratelimit-used': String(d.used),
    'x-ratelimit-reset': String(d.resetSeconds),
  };
}
