// The star schema's Arrow tables: the fact from the typed arrays FactBuilder fills, the dimensions from plain rows,
// with the column types and nullability of schema.ts (built by tasks/arrow-columns.ts, assembled by parquet.ts).
import type * as arrow from 'apache-arrow';
import { typedColumn } from '../arrow-columns.js';
import { civilFromDays, dateKey, isoDayOfWeek } from './civil-time.js';
import type { FactColumns } from './fact-builder.js';
import { rowsTable, starTable } from './parquet.js';
import { DIM_DATE, DIM_LOCATION, DIM_PARAMETER, DIM_SENSOR, FACT_MEASUREMENT } from './schema.js';

export function factTable(c: FactColumns, dsDays: number): arrow.Table {
  const n = c.length;
  return starTable(
    FACT_MEASUREMENT,
    {
      ds: typedColumn('date', new Int32Array(n).fill(dsDays)),
      sensor_id: typedColumn('int64', c.sensorId),
      location_id: typedColumn('int64', c.locationId),
      parameter_id: typedColumn('int32', c.parameterId),
      date_key: typedColumn('int32', c.dateKey),
      hour_local: typedColumn('int32', c.hourLocal),
      period_start_utc: typedColumn('timestamptz', c.periodStartUtc),
      period_end_utc: typedColumn('timestamptz', c.periodEndUtc),
      value: typedColumn('float64', c.value, c.valuePresent),
      is_valid: typedColumn('bool', c.isValid),
      coverage_percent: typedColumn('float64', c.coverage, c.coveragePresent),
    },
    n,
  );
}

export const dimLocationTable = (rows: readonly object[]) => rowsTable(DIM_LOCATION, rows);
export const dimParameterTable = (rows: readonly object[]) => rowsTable(DIM_PARAMETER, rows);
export const dimSensorTable = (rows: readonly object[]) => rowsTable(DIM_SENSOR, rows);

/** The dim_date rows of local days (days since the epoch), sorted. */
export function dimDateRows(days: Iterable<number>): Record<string, unknown>[] {
  return [...days]
    .sort((a, b) => a - b)
    .map((d) => {
      const c = civilFromDays(d);
      const dow = isoDayOfWeek(d);
      return { date_key: dateKey(c), date: d, year: c.year, quarter: Math.floor((c.month - 1) / 3) + 1, month: c.month, day: c.day, day_of_week: dow, is_weekend: dow >= 6 };
    });
}

export const dimDateTable = (days: Iterable<number>) => rowsTable(DIM_DATE, dimDateRows(days));
