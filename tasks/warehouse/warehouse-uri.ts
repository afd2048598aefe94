// WINDSOCK_WAREHOUSE parsing: duckdb:///absolute/path.duckdb (or duckdb://relative/path), bigquery://project/dataset
// with an optional ?location=EU. Pure; open-warehouse.ts builds the backend.
import path from 'node:path';

export type WarehouseLocation =
  | { kind: 'duckdb'; path: string; uri: string }
  | { kind: 'bigquery'; project: string; dataset: string; location?: string; uri: string };

export class WarehouseUriError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WarehouseUriError';
  }
}

const USAGE = 'use duckdb:///path/to/warehouse.duckdb or bigquery://project/dataset';
/** Project ids: 6-30 characters of lowercase letters, digits and hyphens (domain-scoped ones have "domain:"). */
const PROJECT = /^(?:[a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** Dataset ids: letters, digits and underscores, at most 1024. */
const DATASET = /^[A-Za-z0-9_]{1,1024}$/;

export function parseWarehouseUri(uri: string, setting = 'WINDSOCK_WAREHOUSE', cwd = process.cwd()): WarehouseLocation {
  const quoted = `${setting}='${uri}'`;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/.exec(uri);
  if (!m) throw new WarehouseUriError(`${quoted} has no scheme: ${USAGE}`);
  const scheme = m[1]!.toLowerCase();
  const rest = m[2]!;
  if (scheme === 'duckdb') {
    if (rest === '' || rest.endsWith('/')) throw new WarehouseUriError(`${quoted} names no database file: use duckdb:///path/to/warehouse.duckdb`);
    if (/[?#]/.test(rest)) throw new WarehouseUriError(`${quoted} has a query or fragment: use duckdb:///path/to/warehouse.duckdb`);
    return { kind: 'duckdb', path: path.resolve(cwd, decodeURIComponent(rest)), uri };
  }
  if (scheme === 'bigquery') {
    const [body, query = ''] = rest.split('?', 2) as [string, string?];
    const parts = body.replace(/\/+$/, '').split('/');
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new WarehouseUriError(`${quoted} must name a project and a dataset: use bigquery://project/dataset`);
    const [project, dataset] = parts as [string, string];
    if (!PROJECT.test(project)) throw new WarehouseUriError(`${quoted}: "${project}" is not a Google Cloud project id (6-30 lowercase letters, digits or hyphens)`);
    if (!DATASET.test(dataset)) throw new WarehouseUriError(`${quoted}: "${dataset}" is not a BigQuery dataset id (letters, digits and underscores)`);
    const params = new URLSearchParams(query);
    for (const k of params.keys()) if (k !== 'location') throw new WarehouseUriError(`${quoted}: unknown option "${k}" (only ?location=EU|US|<region>)`);
    const location = params.get('location') || undefined;
    return { kind: 'bigquery', project, dataset, location, uri };
  }
  throw new WarehouseUriError(`${quoted} has an unknown scheme "${scheme}": ${USAGE}`);
}
