// The warehouse as a long-lived reader sees it (the web server): sessions of read-only queries. DuckDB is read from
// snapshots (duckdb-snapshot.ts) so that a reader never holds the file a load needs; BigQuery is queried as it is.
import { openWarehouse, resolveWarehouse, type OpenWarehouseOptions } from './open-warehouse.js';
import type { ReadSession } from './duckdb-snapshot.js';

export type { ReadSession };

export interface WarehouseReader {
  readonly uri: string;
  open(): Promise<ReadSession>;
  close(): Promise<void>;
}

export async function openWarehouseReader(uri?: string, opts: OpenWarehouseOptions = {}): Promise<WarehouseReader> {
  const loc = resolveWarehouse(uri, opts);
  if (loc.kind === 'duckdb') {
    const { DuckDbSnapshotReader } = await import('./duckdb-snapshot.js');
    const reader = new DuckDbSnapshotReader(loc.path);
    return { uri: loc.uri, open: () => reader.open(), close: () => reader.close() };
  }
  const warehouse = await openWarehouse(uri, { ...opts, readOnly: true });
  return { uri: warehouse.uri, open: async () => ({ query: (sql) => warehouse.query(sql), close: async () => undefined }), close: () => warehouse.close() };
}
