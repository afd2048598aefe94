// The OpenAQ v3 client: GET with the key in X-API-Key, a few requests in flight, a rate limiter, retries with
// backoff and jitter, typed results (zod) and the exact body bytes (the raw zone keeps them byte for byte).
import type { z } from 'zod';
import { OpenAQError, statusError } from './errors.js';
import { RateLimiter } from './rate-limiter.js';
import { backoffMs, describeOutcome, isRetryable, type Backoff, type Outcome } from './retry-policy.js';
import { Semaphore } from '../concurrency.js';
import type { OpenAQSettings } from './settings.js';
import { describeZodError, type Envelope } from './shapes.js';

/** 429s with an exhausted window waited out per request before they count as failed attempts. */
const MAX_RATE_WAITS = 10;

/** The largest page the API serves. */
export const MAX_LIMIT = 1000;

export interface RetryInfo {
  url: string;
  attempt: number;
  maxAttempts: number;
  outcome: string;
  delayMs: number;
}

export interface ClientOptions {
  baseUrl: string;
  apiKey?: string;
  concurrency?: number;
  timeoutMs?: number;
  maxAttempts?: number;
  backoff?: Backoff;
  limiter?: RateLimiter;
  /** Aborts waits and requests in flight (the task attempt's signal). */
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
  random?: () => number;
}

export interface Fetched<T> {
  value: T;
  /** The body exactly as received. */
  body: Buffer;
  status: number;
  /** Full request URL; the key is in a header, never here. */
  url: string;
  /** UTC ISO 8601, when the response was read. */
  fetchedAt: string;
  attempts: number;
}

export class OpenAQClient {
  readonly stats = { requests: 0, retries: 0 };
  readonly limiter: RateLimiter;
  private readonly slots: Semaphore;
  private readonly baseUrl: string;

  constructor(private readonly opts: ClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.limiter = opts.limiter ?? new RateLimiter([]);
    this.slots = new Semaphore(opts.concurrency ?? 4);
  }

  static fromSettings(s: OpenAQSettings, extra: Partial<ClientOptions> = {}): OpenAQClient {
    return new OpenAQClient({
      baseUrl: s.baseUrl,
      apiKey: s.apiKey,
      concurrency: s.concurrency,
      timeoutMs: s.timeoutMs,
      maxAttempts: s.maxAttempts,
      backoff: { baseMs: s.retryBaseMs, maxMs: s.retryMaxMs },
      limiter: RateLimiter.perMinuteAndHour(s.ratePerMinute, s.ratePerHour, s.rateWindowMs),
      ...extra,
    });
  }

  /** Seconds (wall clock) during which requests waited for the rate limit. */
  get rateLimitWaitSeconds(): number {
    return this.limiter.waitedMs / 1000;
  }

  url(pathAndQuery: string): string {
    return this.baseUrl + pathAndQuery;
  }

  /** GET `pathAndQuery` (e.g. "/v3/parameters?limit=1000&page=1"), retried as the policy says, checked by `schema`. */
  async get<S extends z.ZodType>(pathAndQuery: string, schema: S): Promise<Fetched<z.infer<S>>> {
    const url = this.url(pathAndQuery);
    const signal = this.opts.signal;
    const maxAttempts = this.opts.maxAttempts ?? 6;
    await this.slots.acquire(signal);
    try {
      let last: Outcome = { kind: 'network', message: 'not attempted' };
      let rateWaits = 0;
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const got = await this.attempt(url);
        if ('body' in got) {
          const parsed = schema.safeParse(got.json);
          if (!parsed.success) {
            throw new OpenAQError('shape', `unexpected response from ${url}: ${describeZodError(parsed.error)}`, url, got.status);
          }
          return { value: parsed.data, body: got.body, status: got.status, url, fetchedAt: new Date().toISOString(), attempts: attempt };
        }
        last = got.outcome;
        if (got.outcome.kind === 'status' && !isRetryable(got.outcome)) {
          throw statusError(got.outcome.status, url, got.text ?? '', !!this.opts.apiKey);
        }
        if ('rateLimited' in got && got.rateLimited && rateWaits < MAX_RATE_WAITS) {
          // The server's window is used up (another client shares the key): the limiter now waits for its reset, and
          // this refusal does not count as a failed attempt.
          rateWaits++;
          attempt--;
          this.stats.retries++;
          this.opts.onRetry?.({ url, attempt: attempt + 1, maxAttempts, outcome: 'HTTP 429 (rate window used up)', delayMs: Math.max(0, this.limiter.pausedUntilMs - Date.now()) });
          continue;
        }
        if (attempt === maxAttempts) break;
        const delayMs = backoffMs(attempt, this.opts.backoff ?? { baseMs: 500, maxMs: 30_000 }, this.opts.random);
        this.stats.retries++;
        this.opts.onRetry?.({ url, attempt, maxAttempts, outcome: describeOutcome(last), delayMs });
        await sleep(delayMs, signal);
      }
      throw new OpenAQError('unavailable', `${describeOutcome(last)} from ${url} (gave up after ${maxAttempts} attempts)`, url, last.kind === 'status' ? last.status : undefined);
    } finally {
      this.slots.release();
    }
  }

  /** Every page of a list endpoint: pages until a short or empty one (`meta.found` is not a total: docs.openaq.org API v3, "meta"). */
  async *pages<T>(path: string, query: Record<string, string | number>, schema: z.ZodType<Envelope<T>>, limit = MAX_LIMIT): AsyncGenerator<Fetched<Envelope<T>> & { page: number }> {
    for (let page = 1; ; page++) {
      const got = await this.get(`${path}?${buildQuery({ ...query, limit, page })}`, schema);
      yield { ...got, page };
      if (isLastPage(got.value.results.length, limit)) return;
    }
  }

  /** One HTTP exchange under the rate limit: the parsed JSON of a 2xx, or what went wrong. */
  private async attempt(url: string): Promise<{ body: Buffer; json: unknown; status: number } | { outcome: Outcome; text?: string; rateLimited?: boolean }> {
    const signal = this.opts.signal;
    const slot = await this.limiter.acquire(signal);
    this.stats.requests++;
    let status = 0;
    let paused = false;
    let body: Buffer;
    try {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (this.opts.apiKey) headers['x-api-key'] = this.opts.apiKey;
      const timeout = AbortSignal.timeout(this.opts.timeoutMs ?? 30_000);
      const res = await fetch(url, { headers, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      status = res.status;
      paused = this.limiter.observe(res.headers, res.status);
      body = Buffer.from(await res.arrayBuffer());
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      return { outcome: fetchFailure(err) };
    } finally {
      this.limiter.release(slot);
    }
    if (status < 200 || status > 299) return { outcome: { kind: 'status', status }, text: body.toString('utf8'), rateLimited: status === 429 && paused };
    try {
      return { body, json: JSON.parse(body.toString('utf8')), status };
    } catch (err) {
      return { outcome: { kind: 'bad_json', message: (err as Error).message } };
    }
  }
}

export function isLastPage(rows: number, limit: number): boolean {
  return rows < limit;
}

/** A query string that keeps ',' and ':' readable (bbox=1.44,48.12,...; datetime_from=2024-04-19T22:00:00Z). */
export function buildQuery(params: Record<string, string | number | undefined>): string {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v)).replace(/%2C/gi, ',').replace(/%3A/gi, ':')}`)
    .join('&');
}

function fetchFailure(err: unknown): Outcome {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return { kind: 'timeout' };
  return { kind: 'network', message: e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err) };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
