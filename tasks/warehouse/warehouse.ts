// The Warehouse: one interface over where the star schema is loaded and queried, with a DuckDB backend (the default,
// a local file) and a BigQuery one, chosen by WINDSOCK_WAREHOUSE (open-warehouse.ts).
import type * as arrow from 'apache-arrow';
import type { Lake } from '../lake/lake.js';
import type { StarTableName } from '../star/schema.js';

export interface LoadStarResult {
  ds: string;
  /** The warehouse's URI (no credentials in it). */
  warehouse: string;
  /** Rows read from each star file. */
  loaded: Record<StarTableName, number>;
  /** fact_measurement rows of this ds that the load replaced (0 on a first load; unknown: null). */
  replaced_fact_rows: number | null;
  /** Rows in each table after the load, where the backend counts them cheaply (DuckDB). */
  tables?: Record<StarTableName, number>;
}

export interface Warehouse {
  readonly uri: string;
  readonly kind: 'duckdb' | 'bigquery';
  /**
   * Loads the star partition of `ds` from the lake (star/<table>/ds=<ds>/part-0.parquet): tables created when missing,
   * dimensions upserted on their keys, the fact partition of `ds` replaced atomically.
   */
  loadStar(lake: Lake, ds: string, log?: (msg: string) => void): Promise<LoadStarResult>;
  /**
   * Runs a query and streams its result as Arrow record batches. At least one batch is yielded (possibly empty), so
   * the schema is known even when no row matches. Errors in the SQL reject with WarehouseQueryError.
   */
  query(sql: string): AsyncIterable<arrow.RecordBatch>;
  close(): Promise<void>;
}

/** The warehouse refused a query (syntax, unknown table...): `message` is the engine's own, on one line. */
export class WarehouseQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WarehouseQueryError';
  }
}

/** The star files a load needs are not in the lake (or the warehouse cannot be used as configured). */
export class WarehouseInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WarehouseInputError';
  }
}

export const NO_STATEMENT = 'the query holds no SQL statement: pass one, e.g. "SELECT count(*) FROM fact_measurement"';

/** Refuses a query with nothing in it (blank, or only ';'), which the engines answer with obscure errors. */
export function checkQueryText(sql: string): void {
  if (/^[\s;]*$/.test(sql)) throw new WarehouseQueryError(NO_STATEMENT);
}
