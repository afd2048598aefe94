// A star table -> Parquet bytes, with the column names, types and nullability of schema.ts (keys REQUIRED, as the
// warehouses' NOT NULL / REQUIRED columns take them): Arrow columns (tasks/arrow-columns.ts) written by parquet-wasm
// (WebAssembly shipped inside the npm package: nothing downloaded).
import * as arrow from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';
import { batchOf, columnData, type ColumnKind } from '../arrow-columns.js';
import type { ColumnType, TableDef } from './schema.js';

const KIND: Record<ColumnType, ColumnKind> = {
  BIGINT: 'int64',
  INTEGER: 'int32',
  DOUBLE: 'float64',
  VARCHAR: 'utf8',
  BOOLEAN: 'bool',
  DATE: 'date',
  TIMESTAMP: 'timestamptz',
};

/** The table from one Data per column of `def` (any order), `length` rows. */
export function starTable(def: TableDef, columns: Record<string, arrow.Data>, length: number): arrow.Table {
  const fields = def.columns.map((c) => ({ name: c.name, kind: KIND[c.type], nullable: c.nullable }));
  const children = def.columns.map((c) => {
    const d = columns[c.name];
    if (!d) throw new Error(`${def.name}.${c.name}: no data`);
    return d;
  });
  const batch = batchOf(fields, children, length);
  return new arrow.Table(batch.schema, [batch]);
}

/** A table of `def` from row objects keyed by column name (values as arrow-columns.ts's columnData takes them). */
export function rowsTable(def: TableDef, rows: readonly object[]): arrow.Table {
  const cols: Record<string, arrow.Data> = {};
  for (const c of def.columns) {
    cols[c.name] = columnData(
      KIND[c.type],
      rows.map((r) => {
        const v = (r as Record<string, unknown>)[c.name];
        return c.type === 'BIGINT' && typeof v === 'number' ? BigInt(v) : v;
      }),
    );
  }
  return starTable(def, cols, rows.length);
}

/**
 * `dictionary: false` for large tables of mostly distinct values (the fact): building dictionaries would cost more
 * time than it saves space. Snappy and plain encodings: what every Parquet reader (DuckDB, BigQuery) takes.
 */
export function toParquet(table: arrow.Table, opts: { dictionary?: boolean } = {}): Uint8Array {
  const wasm = WasmTable.fromIPCStream(arrow.tableToIPC(table, 'stream'));
  const props = new WriterPropertiesBuilder()
    .setCompression(Compression.SNAPPY)
    .setDictionaryEnabled(opts.dictionary ?? true)
    .setCreatedBy('windsock star.transform')
    .build();
  return writeParquet(wasm, props);
}
