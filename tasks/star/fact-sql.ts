// The DuckDB statements that turn the raw /hours pages into fact_measurement, as text. Pure.
//
// `pages` (file, rank = fetch order, sensor_id) and `sensors` (sensor_id, location_id, parameter_id, tz: the
// location's zone, or the DAG's) are filled first. Then:
//   1. `hours`: every entry of every page's `results`, with the five fields the fact needs, read as JSON so that a
//      field of another type is seen (`suspect`: the page is then checked field by field in JS, hours-check.ts; a
//      page without `results` gets one NULL entry, suspect);
//   2. `judged`: each row loaded or rejected, and why (in this order: unknown_sensor, bad_timestamp,
//      outside_interval, parameter_mismatch);
//   3. `fact`: one row per (sensor, period end), the last fetched (page rank, then row order) winning, in the order
//      the first of them was fetched; local date and hour of the period start in the sensor's zone (ICU, so
//      daylight-saving changes are the zone database's).
import { literal } from '../warehouse/duckdb-sql.js';

export const REJECT_REASONS = ['bad_timestamp', 'outside_interval', 'unknown_sensor', 'parameter_mismatch', 'duplicate'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface PageRow {
  file: string;
  rank: number;
  sensorId: number;
}

export interface SensorRow {
  sensorId: number;
  locationId: number;
  parameterId: number;
  tz: string;
}

export const CREATE_INPUTS = [
  'CREATE TEMP TABLE pages (file VARCHAR NOT NULL, rank INTEGER NOT NULL, sensor_id BIGINT NOT NULL)',
  'CREATE TEMP TABLE sensors (sensor_id BIGINT PRIMARY KEY, location_id BIGINT NOT NULL, parameter_id INTEGER NOT NULL, tz VARCHAR NOT NULL)',
  // A timestamp with a zone (Z or an offset), else NULL: a naive one has no meaning here.
  `CREATE TEMP MACRO utc_instant(s) AS CASE WHEN regexp_matches(s, '(Z|[+-]\\d{2}:?\\d{2})$', 'i') THEN TRY_CAST(s AS TIMESTAMPTZ) END`,
];

/** INSERT statements for the rows, a few hundred at a time. */
export function insertRows<T>(table: string, rows: readonly T[], values: (r: T) => string): string[] {
  const out: string[] = [];
  for (let i = 0; i < rows.length; i += 500) out.push(`INSERT INTO ${table} VALUES ${rows.slice(i, i + 500).map((r) => `(${values(r)})`).join(', ')}`);
  return out;
}

export const pageValues = (p: PageRow) => `${literal(p.file)}, ${p.rank}, ${p.sensorId}`;
export const sensorValues = (s: SensorRow) => `${s.sensorId}, ${s.locationId}, ${s.parameterId}, ${literal(s.tz)}`;

const RESULTS = 'STRUCT(value JSON, parameter STRUCT(id JSON), period STRUCT(datetimeFrom STRUCT(utc JSON), datetimeTo STRUCT(utc JSON)), coverage STRUCT(percentCoverage JSON))[]';
const NUMBER = "('DOUBLE', 'BIGINT', 'UBIGINT')";
const INTEGER = "('BIGINT', 'UBIGINT')";
/** Not of the JSON types given, or null or missing (which only the JS check can tell apart). */
const notOf = (expr: string, types: string) => `coalesce(json_type(${expr}) NOT IN ${types}, true)`;

/** The rows of the pages' files (the files listed in `pages`). */
export function stageHoursSql(files: readonly string[]): string {
  if (files.length === 0) {
    return 'CREATE TEMP TABLE hours (rank INTEGER, i BIGINT, sensor_id BIGINT, value DOUBLE, parameter_id BIGINT, period_start TIMESTAMPTZ, period_end TIMESTAMPTZ, coverage DOUBLE, suspect BOOLEAN)';
  }
  return `CREATE TEMP TABLE hours AS
    SELECT p.rank, u.i, p.sensor_id,
      TRY_CAST(u.r.value AS DOUBLE) AS value,
      TRY_CAST(u.r.parameter.id AS BIGINT) AS parameter_id,
      utc_instant((u.r.period.datetimeFrom.utc) ->> '$') AS period_start,
      utc_instant((u.r.period.datetimeTo.utc) ->> '$') AS period_end,
      TRY_CAST(u.r.coverage.percentCoverage AS DOUBLE) AS coverage,
      (u.r IS NULL OR ${notOf('u.r.value', NUMBER)} OR ${notOf('u.r.parameter.id', INTEGER)}
        OR ${notOf('u.r.period.datetimeFrom.utc', "('VARCHAR')")} OR ${notOf('u.r.period.datetimeTo.utc', "('VARCHAR')")}
        OR ${notOf('u.r.coverage.percentCoverage', NUMBER)}) AS suspect
    FROM (
      SELECT filename, generate_subscripts(results, 1) AS i, unnest(results) AS r
      FROM (SELECT filename, coalesce(results, [NULL]) AS results FROM read_json([${files.map(literal).join(', ')}], filename = true, format = 'unstructured', columns = {results: '${RESULTS}'}))
    ) u JOIN pages p ON p.file = u.filename`;
}

/** Per page (by rank): its entries and whether one needs the JS check. */
export const PAGE_SUMMARY_SQL = `SELECT p.rank, count(h.rank) AS entries, coalesce(bool_or(h.suspect), false) AS suspect
  FROM pages p LEFT JOIN hours h USING (rank) GROUP BY p.rank ORDER BY p.rank`;

/** The API's window: period end > interval start and <= interval end. */
export function judgedViewSql(intervalStartMs: number, intervalEndMs: number): string {
  const at = (ms: number) => `TIMESTAMPTZ ${literal(new Date(ms).toISOString())}`;
  return `CREATE TEMP VIEW judged AS
    SELECT h.*, h.rank::BIGINT * 4294967296 + h.i AS ord, s.location_id, s.tz,
      CASE
        WHEN s.sensor_id IS NULL THEN 'unknown_sensor'
        WHEN NOT coalesce(h.period_start < h.period_end, false) THEN 'bad_timestamp'
        WHEN h.period_end <= ${at(intervalStartMs)} OR h.period_end > ${at(intervalEndMs)} THEN 'outside_interval'
        WHEN h.parameter_id IS DISTINCT FROM s.parameter_id THEN 'parameter_mismatch'
      END AS reject
    FROM hours h LEFT JOIN sensors s USING (sensor_id)`;
}

/** rows in, then each reason's count (duplicate: loaded rows that a later fetch of the same period replaced). */
export const REJECTS_SQL = `SELECT count(*) AS rows_in,
    count_if(reject = 'bad_timestamp') AS bad_timestamp,
    count_if(reject = 'outside_interval') AS outside_interval,
    count_if(reject = 'unknown_sensor') AS unknown_sensor,
    count_if(reject = 'parameter_mismatch') AS parameter_mismatch,
    count_if(reject IS NULL) - (SELECT count(*) FROM (SELECT DISTINCT sensor_id, period_end FROM judged WHERE reject IS NULL)) AS duplicate
  FROM judged`;

export const FACT_TABLE_SQL = `CREATE TEMP TABLE fact AS
  SELECT sensor_id, location_id, r.parameter_id, period_end, r.period_start, r.value, r.coverage, first_ord,
    timezone(tz, r.period_start) AS local_start
  FROM (
    SELECT sensor_id, period_end, any_value(location_id) AS location_id, any_value(tz) AS tz, min(ord) AS first_ord,
      arg_max({'parameter_id': parameter_id, 'period_start': period_start, 'value': value, 'coverage': coverage}, ord) AS r
    FROM judged WHERE reject IS NULL GROUP BY sensor_id, period_end
  )`;

/** The columns of fact_measurement but ds, in schema order, as plain numbers (epoch microseconds for instants). */
export const FACT_ROWS_SQL = `SELECT sensor_id, location_id, parameter_id::INTEGER,
    (year(local_start) * 10000 + month(local_start) * 100 + day(local_start))::INTEGER AS date_key,
    hour(local_start)::INTEGER AS hour_local,
    epoch_us(period_start) AS period_start_utc, epoch_us(period_end) AS period_end_utc,
    value, coalesce(value >= 0, false) AS is_valid, coverage AS coverage_percent
  FROM fact ORDER BY first_ord`;

/** dim_date: the local dates of the facts, in order. */
export const DIM_DATE_SQL = `SELECT (year(d) * 10000 + month(d) * 100 + day(d))::INTEGER AS date_key,
    date_diff('day', DATE '1970-01-01', d)::INTEGER AS date, year(d)::INTEGER AS year, quarter(d)::INTEGER AS quarter,
    month(d)::INTEGER AS month, day(d)::INTEGER AS day, isodow(d)::INTEGER AS day_of_week, isodow(d) >= 6 AS is_weekend
  FROM (SELECT DISTINCT local_start::DATE AS d FROM fact) ORDER BY d`;
