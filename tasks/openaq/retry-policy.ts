// Which failed requests to try again, and how long to wait first. Pure functions of the outcome and the attempt.
export type Outcome =
  | { kind: 'status'; status: number }
  | { kind: 'timeout' }
  /** Connection refused or reset, socket closed mid-body (a truncated response). */
  | { kind: 'network'; message: string }
  /** A 2xx whose body is not JSON (cut short, or garbled by a proxy). */
  | { kind: 'bad_json'; message: string };

/** 408, 429, 5xx, timeouts, connection errors and unreadable bodies are worth retrying; other statuses are not. */
export function isRetryable(o: Outcome): boolean {
  if (o.kind !== 'status') return true;
  return o.status === 408 || o.status === 429 || o.status >= 500;
}

export interface Backoff {
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with jitter before attempt `attempt + 1` (attempt is 1-based): half of the exponential
 * delay, plus a random share of the other half, so clients that failed together do not retry together.
 */
export function backoffMs(attempt: number, b: Backoff, random: () => number = Math.random): number {
  const exp = Math.min(b.maxMs, b.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

export function describeOutcome(o: Outcome): string {
  switch (o.kind) {
    case 'status':
      return `HTTP ${o.status}`;
    case 'timeout':
      return 'timed out';
    case 'network':
      return `connection failed (${o.message})`;
    case 'bad_json':
      return `unreadable JSON (${o.message})`;
  }
}
