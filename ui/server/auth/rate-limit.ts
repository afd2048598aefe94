// A fixed-window counter per client address for the login endpoint (and for failed HTTP Basic logins on API v1,
// which would otherwise be a way around it): `limit` tries a minute, then 429 with Retry-After until the window ends.
// Pure bookkeeping; the caller supplies the clock.
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Count one try; null when allowed, else the seconds to wait. */
  hit(key: string, now = Date.now()): number | null {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size > 10_000) this.sweep(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return w.count <= this.limit ? null : Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
  }

  /** The seconds to wait if `key` has used up its tries, without counting one; null when it may try. */
  wait(key: string, now = Date.now()): number | null {
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs || w.count < this.limit) return null;
    return Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}

export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not behind @hono/node-server (app.request in a test)
  }
}
