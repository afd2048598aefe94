// A DuckDB query streamed as Arrow record batches, chunk by chunk as DuckDB produces them: the result is never held
// whole. Shared by the warehouse's own queries and the read-only snapshots the web server reads (duckdb-snapshot.ts).
import type * as arrow from 'apache-arrow';
import type { DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api';
import { chunksToBatch } from './duckdb-arrow.js';
import { firstLine } from './duckdb-settings.js';
import { NO_STATEMENT, WarehouseQueryError } from './warehouse.js';

/** Rows per Arrow batch of a query result (DuckDB hands out chunks of 2048). */
const BATCH_ROWS = 16_384;

/** Batches of the result; at least one (possibly empty), so the schema is known when no row matches. */
export async function* streamBatches(conn: DuckDBConnection, sql: string): AsyncGenerator<arrow.RecordBatch> {
  let result;
  try {
    await conn.extractStatements(sql);
    result = await conn.stream(sql);
  } catch (err) {
    throw new WarehouseQueryError(queryMessage((err as Error).message));
  }
  const names = result.deduplicatedColumnNames();
  const types = names.map((_, i) => result.columnTypeId(i));
  let pending: DuckDBDataChunk[] = [];
  let rows = 0;
  let sent = 0;
  for (;;) {
    let chunk: DuckDBDataChunk | null;
    try {
      chunk = await result.fetchChunk();
    } catch (err) {
      throw new WarehouseQueryError(queryMessage((err as Error).message));
    }
    if (!chunk || chunk.rowCount === 0) break;
    pending.push(chunk);
    rows += chunk.rowCount;
    if (rows >= BATCH_ROWS) {
      yield chunksToBatch(names, types, pending);
      sent++;
      pending = [];
      rows = 0;
    }
  }
  if (rows > 0 || sent === 0) yield chunksToBatch(names, types, pending);
}

/** DuckDB's message for a query, with the client's bare "Error in native callback" (no statement) explained. */
function queryMessage(message: string): string {
  return message.trim() === 'Error in native callback' ? NO_STATEMENT : firstLine(message);
}
