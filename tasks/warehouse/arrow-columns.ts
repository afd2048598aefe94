// Arrow columns from plain JS values, for query results (DuckDB chunks, BigQuery rows).
import * as arrow from 'apache-arrow';

export type ColumnKind = 'bool' | 'int32' | 'int64' | 'float64' | 'utf8' | 'date' | 'timestamp' | 'timestamptz';

export function arrowTypeOf(kind: ColumnKind): arrow.DataType {
  switch (kind) {
    case 'bool':
      return new arrow.Bool();
    case 'int32':
      return new arrow.Int32();
    case 'int64':
      return new arrow.Int64();
    case 'float64':
      return new arrow.Float64();
    case 'utf8':
      return new arrow.Utf8();
    case 'date':
      return new arrow.DateDay();
    case 'timestamp':
      return new arrow.TimestampMicrosecond();
    case 'timestamptz':
      return new arrow.TimestampMicrosecond('UTC');
  }
}

/**
 * A column of `kind` from values already normalised: bool -> boolean, int32/float64 -> number, int64 -> bigint,
 * utf8 -> string, date -> days since the epoch, timestamp(tz) -> microseconds as bigint; null for null.
 */
export function columnData(kind: ColumnKind, values: readonly unknown[]): arrow.Data {
  const n = values.length;
  const valid = new Uint8Array(Math.ceil(n / 8));
  let nulls = 0;
  const mark = (i: number, v: unknown) => {
    if (v === null || v === undefined) {
      nulls++;
      return false;
    }
    valid[i >> 3]! |= 1 << (i & 7);
    return true;
  };
  const type = arrowTypeOf(kind);
  let data: ArrayLike<unknown>;
  switch (kind) {
    case 'utf8':
      return arrow.vectorFromArray(values.map((v) => (v === null || v === undefined ? null : String(v))), new arrow.Utf8()).data[0]!;
    case 'bool': {
      const bits = new Uint8Array(Math.ceil(n / 8));
      values.forEach((v, i) => {
        if (mark(i, v) && v) bits[i >> 3]! |= 1 << (i & 7);
      });
      data = bits;
      break;
    }
    case 'int32':
    case 'date': {
      const a = new Int32Array(n);
      values.forEach((v, i) => {
        if (mark(i, v)) a[i] = Number(v);
      });
      data = a;
      break;
    }
    case 'float64': {
      const a = new Float64Array(n);
      values.forEach((v, i) => {
        if (mark(i, v)) a[i] = Number(v);
      });
      data = a;
      break;
    }
    case 'int64':
    case 'timestamp':
    case 'timestamptz': {
      const a = new BigInt64Array(n);
      values.forEach((v, i) => {
        if (mark(i, v)) a[i] = typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)));
      });
      data = a;
      break;
    }
  }
  return arrow.makeData({ type, length: n, data, nullBitmap: nulls ? valid : undefined, nullCount: nulls } as never) as unknown as arrow.Data;
}

export function recordBatch(names: readonly string[], kinds: readonly ColumnKind[], columns: readonly (readonly unknown[])[], length: number): arrow.RecordBatch {
  const fields = names.map((name, i) => new arrow.Field(name, arrowTypeOf(kinds[i]!), true));
  const schema = new arrow.Schema(fields);
  const children = columns.map((vals, i) => columnData(kinds[i]!, vals));
  const struct = arrow.makeData({ type: new arrow.Struct(fields), length, nullCount: 0, children });
  return new arrow.RecordBatch(schema, struct);
}
