// Arrow columns and record batches, the one place the pipeline builds them: from plain JS values (query results:
// DuckDB chunks, BigQuery rows, the star's dimensions) or from typed arrays already filled (the star's fact).
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
      // With a zone, Parquet marks it isAdjustedToUTC: BigQuery reads a TIMESTAMP (not a DATETIME).
      return new arrow.TimestampMicrosecond('UTC');
  }
}

/** One byte per row (0/1) as an Arrow bitmap, with the count of zeros. */
function bitmap(bytes: Uint8Array): { bits: Uint8Array; zeros: number } {
  const bits = new Uint8Array(Math.ceil(bytes.length / 8));
  let ones = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]) {
      bits[i >> 3]! |= 1 << (i & 7);
      ones++;
    }
  }
  return { bits, zeros: bytes.length - ones };
}

/** The storage of a column of `kind`: what `typedColumn` takes. */
export type TypedValues = Int32Array | BigInt64Array | Float64Array | Uint8Array;

/**
 * A column of `kind` from values already in their Arrow storage (int32/date -> Int32Array of ints or days,
 * int64/timestamp(tz) -> BigInt64Array of integers or microseconds, float64 -> Float64Array, bool -> Uint8Array of
 * 0/1 per row); `present` (0/1 per row) marks the non-null rows, all of them when absent. Not for utf8.
 */
export function typedColumn(kind: Exclude<ColumnKind, 'utf8'>, values: TypedValues, present?: Uint8Array): arrow.Data {
  const length = values.length;
  const data = kind === 'bool' ? bitmap(values as Uint8Array).bits : values;
  const nulls = present ? bitmap(present) : undefined;
  const nullBitmap = nulls?.zeros ? nulls.bits : undefined;
  return arrow.makeData({ type: arrowTypeOf(kind), length, data, nullBitmap, nullCount: nulls?.zeros ?? 0 } as never) as unknown as arrow.Data;
}

/**
 * A column of `kind` from values already normalised: bool -> boolean, int32/float64 -> number, int64 -> bigint,
 * utf8 -> string, date -> days since the epoch, timestamp(tz) -> microseconds as bigint; null for null.
 */
export function columnData(kind: ColumnKind, values: readonly unknown[]): arrow.Data {
  if (kind === 'utf8') return arrow.vectorFromArray(values.map((v) => (v === null || v === undefined ? null : String(v))), new arrow.Utf8()).data[0]!;
  const n = values.length;
  const present = new Uint8Array(n);
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null || v === undefined) nulls++;
    else present[i] = 1;
  });
  let data: TypedValues;
  switch (kind) {
    case 'bool':
      data = Uint8Array.from(values, (v) => (v ? 1 : 0));
      break;
    case 'int32':
    case 'date':
      data = Int32Array.from(values, (v) => (v === null || v === undefined ? 0 : Number(v)));
      break;
    case 'float64':
      data = Float64Array.from(values, (v) => (v === null || v === undefined ? 0 : Number(v)));
      break;
    case 'int64':
    case 'timestamp':
    case 'timestamptz':
      data = BigInt64Array.from(values, (v) => (v === null || v === undefined ? 0n : typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)))));
      break;
  }
  return typedColumn(kind, data, nulls ? present : undefined);
}

export interface ColumnField {
  name: string;
  kind: ColumnKind;
  nullable: boolean;
}

/** A record batch of `fields` from one Data per field, each of `length` rows. */
export function batchOf(fields: readonly ColumnField[], children: readonly arrow.Data[], length: number): arrow.RecordBatch {
  const schema = new arrow.Schema(fields.map((f) => new arrow.Field(f.name, arrowTypeOf(f.kind), f.nullable)));
  children.forEach((d, i) => {
    if (d.length !== length) throw new Error(`${fields[i]!.name}: ${d.length} values for ${length} rows`);
  });
  const struct = arrow.makeData({ type: new arrow.Struct(schema.fields), length, nullCount: 0, children: [...children] });
  return new arrow.RecordBatch(schema, struct);
}

/** A record batch of nullable columns from plain values (query results). */
export function recordBatch(names: readonly string[], kinds: readonly ColumnKind[], columns: readonly (readonly unknown[])[], length: number): arrow.RecordBatch {
  return batchOf(
    names.map((name, i) => ({ name, kind: kinds[i]!, nullable: true })),
    columns.map((vals, i) => columnData(kinds[i]!, vals)),
    length,
  );
}
