// Arrow table -> Parquet bytes with parquet-wasm (WebAssembly shipped inside the npm package: nothing downloaded).
import * as arrow from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';

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
