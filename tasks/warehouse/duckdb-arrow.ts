// DuckDB result chunks -> Arrow record batches. Types without an obvious Arrow twin (decimals, huge integers) become
// doubles; nested, interval and other exotic values become their text.
import type * as arrow from 'apache-arrow';
import { DuckDBTypeId, type DuckDBDataChunk, type DuckDBValue } from '@duckdb/node-api';
import { recordBatch, type ColumnKind } from '../arrow-columns.js';

export function kindOfDuckDBType(id: DuckDBTypeId): ColumnKind {
  switch (id) {
    case DuckDBTypeId.BOOLEAN:
      return 'bool';
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
      return 'int32';
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
      return 'int64';
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL:
      return 'float64';
    case DuckDBTypeId.DATE:
      return 'date';
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return 'timestamp';
    case DuckDBTypeId.TIMESTAMP_TZ:
      return 'timestamptz';
    default:
      return 'utf8';
  }
}

/** A DuckDB value normalised for arrow-columns.ts. */
function normalise(kind: ColumnKind, id: DuckDBTypeId, v: DuckDBValue): unknown {
  if (v === null) return null;
  switch (kind) {
    case 'bool':
    case 'int32':
      return v;
    case 'int64':
      return typeof v === 'bigint' ? v : BigInt(v as number);
    case 'float64':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      return (v as { toDouble(): number }).toDouble();
    case 'date':
      return (v as { days: number }).days;
    case 'timestamp':
    case 'timestamptz': {
      if (id === DuckDBTypeId.TIMESTAMP_S) return (v as { seconds: bigint }).seconds * 1_000_000n;
      if (id === DuckDBTypeId.TIMESTAMP_MS) return (v as { millis: bigint }).millis * 1000n;
      if (id === DuckDBTypeId.TIMESTAMP_NS) return (v as { nanos: bigint }).nanos / 1000n;
      return (v as { micros: bigint }).micros;
    }
    case 'utf8':
      return typeof v === 'string' ? v : String(v);
  }
}

/** One record batch from chunks of the same result. */
export function chunksToBatch(names: readonly string[], typeIds: readonly DuckDBTypeId[], chunks: readonly DuckDBDataChunk[]): arrow.RecordBatch {
  const kinds = typeIds.map(kindOfDuckDBType);
  const columns = names.map((_, c) => {
    const out: unknown[] = [];
    for (const chunk of chunks) for (const v of chunk.getColumnValues(c)) out.push(normalise(kinds[c]!, typeIds[c]!, v));
    return out;
  });
  const length = chunks.reduce((n, ch) => n + ch.rowCount, 0);
  return recordBatch(names, kinds, columns, length);
}
