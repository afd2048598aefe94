// BigQuery query result pages (rows as the client parses them, with the result's schema) -> Arrow record batches.
import type * as arrow from 'apache-arrow';
import { daysOfIsoDate } from '../star/civil-time.js';
import { recordBatch, type ColumnKind } from '../arrow-columns.js';

export interface BqResultField {
  name: string;
  type: string;
}

export function kindOfBqType(type: string): ColumnKind {
  switch (type.toUpperCase()) {
    case 'INTEGER':
    case 'INT64':
      return 'int64';
    case 'FLOAT':
    case 'FLOAT64':
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return 'float64';
    case 'BOOLEAN':
    case 'BOOL':
      return 'bool';
    case 'DATE':
      return 'date';
    case 'TIMESTAMP':
      return 'timestamptz';
    case 'DATETIME':
      return 'timestamp';
    default:
      return 'utf8';
  }
}

/** The client wraps DATE, DATETIME and TIMESTAMP in objects with a `value` string. */
const text = (v: unknown) => (v !== null && typeof v === 'object' && 'value' in v ? String((v as { value: unknown }).value) : String(v));

function normalise(kind: ColumnKind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'int64':
      return BigInt(text(v));
    case 'float64':
      return Number(text(v));
    case 'bool':
      return v === true || v === 'true';
    case 'date':
      return daysOfIsoDate(text(v));
    case 'timestamp':
    case 'timestamptz': {
      const s = text(v);
      if (/^-?\d+$/.test(s)) return BigInt(s); // microseconds (formatOptions.useInt64Timestamp)
      const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`);
      const micros = /\.(\d{4,6})/.exec(s)?.[1]?.padEnd(6, '0').slice(3) ?? '000';
      return BigInt(ms) * 1000n + BigInt(micros);
    }
    case 'int32':
      return Number(v);
    case 'utf8':
      return typeof v === 'object' && !('value' in (v as object)) ? JSON.stringify(v) : text(v);
  }
}

export function rowsToBatch(fields: readonly BqResultField[], rows: readonly Record<string, unknown>[]): arrow.RecordBatch {
  const kinds = fields.map((f) => kindOfBqType(f.type));
  const columns = fields.map((f, i) => rows.map((r) => normalise(kinds[i]!, r[f.name])));
  return recordBatch(
    fields.map((f) => f.name),
    kinds,
    columns,
    rows.length,
  );
}
