// The pipeline's settings: every OPENAQ_* variable and the WINDSOCK_* ones the pipeline's operators read (lake,
// warehouse, Google emulator endpoints), declared once. The operators' `checkSettings` call these when a command
// starts, so a typo stops `dag run` before it creates a run; the operators read the same values when they run.
import { httpUrl, readEnvVars, text, wholeNumber, type EnvVars, type EnvValues } from '../engine/env-vars.js';
import { UserError } from '../engine/types.js';
import { parseLakeUri, LakeUriError } from './lake/lake-uri.js';
import { parseWarehouseUri, WarehouseUriError } from './warehouse/warehouse-uri.js';

export const DEFAULT_OPENAQ_BASE_URL = 'https://api.openaq.org';

export const OPENAQ_VARIABLES = {
  OPENAQ_BASE_URL: { schema: httpUrl(), default: DEFAULT_OPENAQ_BASE_URL, example: DEFAULT_OPENAQ_BASE_URL, meaning: 'for a proxy or a test server' },
  OPENAQ_API_KEY: { schema: text(), example: 'your-key', meaning: 'the real API key; unset: the built-in simulator serves the data' },
  OPENAQ_RATE_LIMIT_PER_MINUTE: { schema: wholeNumber(0), default: '60', example: '60', meaning: "the client's own limit, under the API's; 0: off" },
  OPENAQ_RATE_LIMIT_PER_HOUR: { schema: wholeNumber(0), default: '2000', example: '2000', meaning: "the client's own limit, under the API's; 0: off" },
  OPENAQ_RATE_WINDOW_MS: { schema: wholeNumber(1), default: '60000', example: '60000', meaning: "the rate window's length (the hour is 60 of them)" },
  OPENAQ_CONCURRENCY: { schema: wholeNumber(1), default: '4', example: '4', meaning: 'requests in flight at once' },
  OPENAQ_TIMEOUT_MS: { schema: wholeNumber(1), default: '30000', example: '30000', meaning: 'one request, from sending to the last byte' },
  OPENAQ_MAX_ATTEMPTS: { schema: wholeNumber(1), default: '6', example: '6', meaning: 'attempts per request, the first included' },
  OPENAQ_RETRY_BASE_MS: { schema: wholeNumber(0), default: '500', example: '500', meaning: 'first retry delay (doubling, with jitter)' },
  OPENAQ_RETRY_MAX_MS: { schema: wholeNumber(0), default: '30000', example: '30000', meaning: 'longest retry delay' },
} satisfies EnvVars;

export const STORAGE_VARIABLES = {
  WINDSOCK_LAKE: { schema: text(), example: 'gs://bucket/prefix', meaning: 'file://$WINDSOCK_HOME/lake by default' },
  WINDSOCK_WAREHOUSE: { schema: text(), example: 'bigquery://project/dataset', meaning: 'duckdb://$WINDSOCK_HOME/warehouse.duckdb by default' },
  WINDSOCK_GCS_ENDPOINT: { schema: httpUrl(), example: 'http://127.0.0.1:4443', meaning: 'a GCS emulator or test server' },
  WINDSOCK_BIGQUERY_ENDPOINT: { schema: httpUrl(), example: 'http://127.0.0.1:9050', meaning: 'a BigQuery emulator or test server' },
} satisfies EnvVars;

/** Every variable the pipeline reads, for the README and the CLI's "is this a typo?" check. */
export const PIPELINE_VARIABLES: EnvVars = { ...OPENAQ_VARIABLES, ...STORAGE_VARIABLES };

export function openaqVariables(env: NodeJS.ProcessEnv = process.env): EnvValues<typeof OPENAQ_VARIABLES> {
  return readEnvVars(OPENAQ_VARIABLES, env);
}

/** The storage variables, with the lake and warehouse URIs parsed when set (their own messages name the fix). */
export function storageVariables(env: NodeJS.ProcessEnv = process.env): EnvValues<typeof STORAGE_VARIABLES> {
  const v = readEnvVars(STORAGE_VARIABLES, env);
  try {
    if (v.WINDSOCK_LAKE) parseLakeUri(v.WINDSOCK_LAKE);
    if (v.WINDSOCK_WAREHOUSE) parseWarehouseUri(v.WINDSOCK_WAREHOUSE);
  } catch (err) {
    if (err instanceof LakeUriError || err instanceof WarehouseUriError) throw new UserError(err.message);
    throw err;
  }
  return v;
}

/** For operators' checkSettings: the OpenAQ client's settings. */
export function checkOpenAQSettings(env: NodeJS.ProcessEnv): void {
  openaqVariables(env);
}

/** For operators' checkSettings: the lake and warehouse settings. */
export function checkStorageSettings(env: NodeJS.ProcessEnv): void {
  storageVariables(env);
}
