// Arrow tables of the star schema, built from typed arrays (the fact) or plain rows (the dimensions), with the
// column types and nullability of schema.ts.
import * as arrow from 'apache-arrow';
import { civilFromDays, dateKey, isoDayOfWeek } from './civil-time.js';
import type { FactColumns } from './fact-builder.js';
import { DIM_DATE, DIM_LOCATION, DIM_PARAMETER, DIM_SENSOR, FACT_MEASUREMENT, type ColumnType, type TableDef } from './schema.js';

export function arrowType(t: ColumnType): arrow.DataType {
  switch (t) {
    case 'BIGINT':
      return new arrow.Int64();
    case 'INTEGER':
      return new arrow.Int32();
    case 'DOUBLE':
      return new arrow.Float64();
    case 'VARCHAR':
      return new arrow.Utf8();
    case 'BOOLEAN':
      return new arrow.Bool();
    case 'DATE':
      return new arrow.DateDay();
    case 'TIMESTAMP':
      // With a zone, Parquet marks it isAdjustedToUTC: BigQuery reads a TIMESTAMP (not a DATETIME).
      return new arrow.TimestampMicrosecond('UTC');
  }
}

export function arrowSchema(def: TableDef): arrow.Schema {
  return new arrow.Schema(def.columns.map((c) => new arrow.Field(c.name, arrowType(c.type), c.nullable)));
}

/** A table of `def` from one Data per column, in the definition's order. */
function tableOf(def: TableDef, columns: Record<string, arrow.Data>, length: number): arrow.Table {
  const schema = arrowSchema(def);
  const children = def.columns.map((c) => {
    const d = columns[c.name];
    if (!d) throw new Error(`${def.name}.${c.name}: no data`);
    if (d.length !== length) throw new Error(`${def.name}.${c.name}: ${d.length} values for ${length} rows`);
    return d;
  });
  const struct = arrow.makeData({ type: new arrow.Struct(schema.fields), length, nullCount: 0, children });
  return new arrow.Table(schema, [new arrow.RecordBatch(schema, struct)]);
}

/** Packs one byte per row (0/1) into an Arrow bitmap. */
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

function nullable<T extends arrow.DataType>(type: T, length: number, data: T['TArray'], present?: Uint8Array): arrow.Data<T> {
  if (!present) return arrow.makeData({ type, length, data } as never) as unknown as arrow.Data<T>;
  const { bits, zeros } = bitmap(present);
  return arrow.makeData({ type, length, data, nullBitmap: zeros ? bits : undefined, nullCount: zeros } as never) as unknown as arrow.Data<T>;
}

function values<T extends arrow.DataType>(type: T, xs: readonly unknown[]): arrow.Data<T> {
  return arrow.vectorFromArray(xs as never[], type).data[0] as arrow.Data<T>;
}

export function factTable(c: FactColumns, dsDays: number): arrow.Table {
  const n = c.length;
  const ds = new Int32Array(n).fill(dsDays);
  return tableOf(
    FACT_MEASUREMENT,
    {
      ds: nullable(new arrow.DateDay(), n, ds),
      sensor_id: nullable(new arrow.Int64(), n, c.sensorId),
      location_id: nullable(new arrow.Int64(), n, c.locationId),
      parameter_id: nullable(new arrow.Int32(), n, c.parameterId),
      date_key: nullable(new arrow.Int32(), n, c.dateKey),
      hour_local: nullable(new arrow.Int32(), n, c.hourLocal),
      period_start_utc: nullable(new arrow.TimestampMicrosecond('UTC'), n, c.periodStartUtc),
      period_end_utc: nullable(new arrow.TimestampMicrosecond('UTC'), n, c.periodEndUtc),
      value: nullable(new arrow.Float64(), n, c.value, c.valuePresent),
      is_valid: nullable(new arrow.Bool(), n, bitmap(c.isValid).bits),
      coverage_percent: nullable(new arrow.Float64(), n, c.coverage, c.coveragePresent),
    },
    n,
  );
}

/** A table of `def` from row objects keyed by column name. */
export function rowsTable(def: TableDef, rows: readonly Record<string, unknown>[]): arrow.Table {
  const cols: Record<string, arrow.Data> = {};
  for (const c of def.columns) {
    const xs = rows.map((r) => {
      const v = r[c.name];
      return c.type === 'BIGINT' && typeof v === 'number' ? BigInt(v) : v;
    });
    cols[c.name] = values(arrowType(c.type), xs);
  }
  return tableOf(def, cols, rows.length);
}

export const dimLocationTable = (rows: readonly object[]) => rowsTable(DIM_LOCATION, rows as Record<string, unknown>[]);
export const dimParameterTable = (rows: readonly object[]) => rowsTable(DIM_PARAMETER, rows as Record<string, unknown>[]);
export const dimSensorTable = (rows: readonly object[]) => rowsTable(DIM_SENSOR, rows as Record<string, unknown>[]);

/** The dim_date rows of local days (days since the epoch), sorted. */
export function dimDateRows(days: Iterable<number>): Record<string, unknown>[] {
  return [...days]
    .sort((a, b) => a - b)
    .map((d) => {
      const c = civilFromDays(d);
      const dow = isoDayOfWeek(d);
      return {
        date_key: dateKey(c),
        // DateDay values are given as epoch milliseconds to vectorFromArray
        date: new Date(d * 86_400_000),
        year: c.year,
        quarter: Math.floor((c.month - 1) / 3) + 1,
        month: c.month,
        day: c.day,
        day_of_week: dow,
        is_weekend: dow >= 6,
      };
    });
}

export const dimDateTable = (days: Iterable<number>) => rowsTable(DIM_DATE, dimDateRows(days));
