// OpenAQ client settings, from the OPENAQ_* variables declared in the pipeline's settings (tasks/settings.ts).
import { DEFAULT_OPENAQ_BASE_URL, openaqVariables } from '../settings.js';

export const DEFAULT_BASE_URL = DEFAULT_OPENAQ_BASE_URL;

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
  const v = openaqVariables(env);
  return {
    baseUrl: v.OPENAQ_BASE_URL,
    apiKey: v.OPENAQ_API_KEY || undefined,
    ratePerMinute: v.OPENAQ_RATE_LIMIT_PER_MINUTE,
    ratePerHour: v.OPENAQ_RATE_LIMIT_PER_HOUR,
    rateWindowMs: v.OPENAQ_RATE_WINDOW_MS,
    concurrency: v.OPENAQ_CONCURRENCY,
    timeoutMs: v.OPENAQ_TIMEOUT_MS,
    maxAttempts: v.OPENAQ_MAX_ATTEMPTS,
    retryBaseMs: v.OPENAQ_RETRY_BASE_MS,
    retryMaxMs: v.OPENAQ_RETRY_MAX_MS,
  };
}
