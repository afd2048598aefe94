// Injected faults, decided by a hash of (seed, request target, how many times that target was requested): the same
// seed gives the same faults on every run whatever the order requests arrive in, and a retried request eventually
// gets through.
import { hashInts, hashString, unit } from './hash.js';

export interface Faults {
  /** Share of requests answered 429 Too many requests (with the window's real rate-limit headers, if any). */
  rate429?: number;
  /** Share answered 500, 502 or 503. */
  rate5xx?: number;
  /** Share whose connection is cut half way through the body (Content-Length promises more). */
  rateTruncated?: number;
  /** Share answered 200 with a body that is not valid JSON (cut short, but a complete HTTP response). */
  rateMalformed?: number;
  /** Delay every response by this many milliseconds. */
  slowMs?: number;
  seed?: number;
}

export type Fault = { kind: 'status'; status: 429 | 500 | 502 | 503 } | { kind: 'truncated' } | { kind: 'malformed' };

export function decideFault(f: Faults, target: string, nth: number): Fault | undefined {
  const h = hashInts(f.seed ?? 0, hashString(target), nth);
  const u = unit(h);
  let edge = f.rate429 ?? 0;
  if (u < edge) return { kind: 'status', status: 429 };
  if (u < (edge += f.rate5xx ?? 0)) return { kind: 'status', status: ([500, 502, 503] as const)[h % 3] };
  if (u < (edge += f.rateTruncated ?? 0)) return { kind: 'truncated' };
  if (u < (edge += f.rateMalformed ?? 0)) return { kind: 'malformed' };
  return undefined;
}
