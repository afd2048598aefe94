// OpenAQ client settings: embedded defaults overridden by OPENAQ_* environment variables.
export const DEFAULT_BASE_URL = 'https://api.openaq.org';

export interface OpenAQSettings {
  baseUrl: string;
  /** Unset: requests go without a key (the built-in simulator needs none). Never logged. */
  apiKey?: string;
  /** The free tier: 60 requests a minute and 2,000 an hour per key. 0 turns a limit off. */
  ratePerMinute: number;
  ratePerHour: number;
  /** The rate window's length (the hour is 60 of them); shorter only in tests and benchmarks. */
  rateWindowMs: number;
  /** Requests in flight at once. */
  concurrency: number;
  timeoutMs: number;
  /** Attempts per request, the first included. */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export function openaqSettings(env: NodeJS.ProcessEnv = process.env): OpenAQSettings {
  const baseUrl = (env.OPENAQ_BASE_URL || DEFAULT_BASE_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(baseUrl)) {
    throw new Error(`OPENAQ_BASE_URL=${baseUrl} is not an http(s) URL; unset it or set e.g. OPENAQ_BASE_URL=${DEFAULT_BASE_URL}`);
  }
  return {
    baseUrl,
    apiKey: env.OPENAQ_API_KEY || undefined,
    ratePerMinute: whole(env, 'OPENAQ_RATE_LIMIT_PER_MINUTE', 60, 0),
    ratePerHour: whole(env, 'OPENAQ_RATE_LIMIT_PER_HOUR', 2000, 0),
    rateWindowMs: whole(env, 'OPENAQ_RATE_WINDOW_MS', 60_000, 1),
    concurrency: whole(env, 'OPENAQ_CONCURRENCY', 4, 1),
    timeoutMs: whole(env, 'OPENAQ_TIMEOUT_MS', 30_000, 1),
    maxAttempts: whole(env, 'OPENAQ_MAX_ATTEMPTS', 6, 1),
    retryBaseMs: whole(env, 'OPENAQ_RETRY_BASE_MS', 500, 0),
    retryMaxMs: whole(env, 'OPENAQ_RETRY_MAX_MS', 30_000, 0),
  };
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw == null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new Error(`${name}=${raw} is not a whole number >= ${min}; unset it or set e.g. ${name}=${fallback}`);
  }
  return n;
}
