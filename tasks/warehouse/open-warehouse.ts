// Opening the warehouse named by WINDSOCK_WAREHOUSE (default duckdb://$WINDSOCK_HOME/warehouse.duckdb). Settings are
// checked before any work: an unknown scheme or missing Google credentials is a UserError saying what to set.
// The backends are imported on first use (DuckDB's native module and the Google clients are heavy).
import path from 'node:path';
import { engineSettings } from '../../engine/settings.js';
import { UserError } from '../../engine/types.js';
import { findGoogleCredentials } from './google-credentials.js';
import type { Warehouse } from './warehouse.js';
import { storageVariables } from '../settings.js';
import { parseWarehouseUri, WarehouseUriError, type WarehouseLocation } from './warehouse-uri.js';

export interface OpenWarehouseOptions {
  /** WINDSOCK_HOME for the default URI. */
  home?: string;
  env?: NodeJS.ProcessEnv;
  /** For queries: DuckDB opens the file read-only. */
  readOnly?: boolean;
  /** The DAG whose runs produce the star files, for "run ... first" hints. */
  dagId?: string;
  /** The task that loads the star, for "run ... again" hints. */
  loadTask?: string;
  signal?: AbortSignal;
  /** Where progress worth telling goes (e.g. waiting for another process's lock on the DuckDB file). */
  log?: (msg: string) => void;
}

/** WINDSOCK_WAREHOUSE, or duckdb://$WINDSOCK_HOME/warehouse.duckdb. */
export function warehouseUri(env: NodeJS.ProcessEnv = process.env, home?: string): string {
  return storageVariables(env).WINDSOCK_WAREHOUSE || `duckdb://${path.join(home ?? engineSettings(env).home, 'warehouse.duckdb')}`;
}

/** Parses and checks the settings (pure but for reading the environment and the credential files). */
export function resolveWarehouse(uri?: string, opts: OpenWarehouseOptions = {}): WarehouseLocation & { apiEndpoint?: string; emulator?: boolean } {
  const env = opts.env ?? process.env;
  const resolved = uri ?? warehouseUri(env, opts.home);
  let loc: WarehouseLocation;
  try {
    loc = parseWarehouseUri(resolved);
  } catch (err) {
    if (err instanceof WarehouseUriError) throw new UserError(err.message);
    throw err;
  }
  if (loc.kind === 'duckdb') return loc;
  const apiEndpoint = storageVariables(env).WINDSOCK_BIGQUERY_ENDPOINT || undefined;
  const emulator = !!env.BIGQUERY_EMULATOR_HOST;
  if (!apiEndpoint && !emulator) {
    const creds = findGoogleCredentials(env);
    if (!creds.ok) {
      throw new UserError(
        `WINDSOCK_WAREHOUSE=${resolved} needs Google credentials (${creds.problem}): set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, or run \`gcloud auth application-default login\`; for an emulator set BIGQUERY_EMULATOR_HOST or WINDSOCK_BIGQUERY_ENDPOINT`,
      );
    }
  }
  return { ...loc, apiEndpoint, emulator };
}

export async function openWarehouse(uri?: string, opts: OpenWarehouseOptions = {}): Promise<Warehouse> {
  const loc = resolveWarehouse(uri, opts);
  if (loc.kind === 'duckdb') {
    const { DuckDbWarehouse } = await import('./duckdb-warehouse.js');
    return new DuckDbWarehouse(loc.path, loc.uri, { readOnly: opts.readOnly, dagId: opts.dagId, loadTask: opts.loadTask, signal: opts.signal, log: opts.log });
  }
  const { BigQueryWarehouse } = await import('./bigquery-warehouse.js');
  return new BigQueryWarehouse({
    project: loc.project,
    dataset: loc.dataset,
    location: loc.location,
    uri: loc.uri,
    apiEndpoint: loc.apiEndpoint,
    emulator: loc.emulator,
    dagId: opts.dagId,
    loadTask: opts.loadTask,
  });
}
