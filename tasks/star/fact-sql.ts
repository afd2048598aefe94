// The DuckDB statements that turn the raw /hours pages into fact_measurement, as text. Pure.
//
// `pages` (file, rank = fetch order, sensor_id) and `sensors` (sensor_id, location_id, parameter_id, tz: the
// location's zone, or the DAG's) are filled first. Then:
//   1. `hours`: every entry of every page's `results`, with the five fields the fact needs, read as JSON so that a
//      field of another type is seen (`suspect`: the page is then checked field by field in JS, hours-check.ts; a
//      page without `results` gets one NULL entry, suspect);
//      each row loaded or rejected, and why (in this order: unknown_sensor, bad_timestamp, outside_interval,
//      parameter_mismatch);
//   2. `fact`: one row per (sensor, period end), the last fetched (page rank, then row order) winning, in the order
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
];

/** INSERT statements for the rows, a few hundred at a time. */
export function insertRows<T>(table: string, rows: readonly T[], values: (r: T) => string): string[] {
  const out: string[] = [];
  for (let i = 0; i < rows.length; i += 500) out.push(`INSERT INTO ${table} VALUES ${rows.slice(i, i + 500).map((r) => `(${values(r)})`).join(', ')}`);
  return out;
}

export const pageValues = (p: PageRow) => `${literal(p.file)}, ${p.rank}, ${p.sensorId}`;
export const sensorValues = (s: SensorRow) => `${s.sensorId}, ${s.locationId}, ${s.parameterId}, ${literal(s.tz)}`;

const RESULTS = 'STRUCT(value JSON, parameter STRUCT(id JSON), period STRUCT(datetimeFrom STRUCT(utc VARCHAR), datetimeTo STRUCT(utc VARCHAR)), coverage STRUCT(percentCoverage JSON))[]';
const NUMBER = "('DOUBLE', 'BIGINT', 'UBIGINT')";
const INTEGER = "('BIGINT', 'UBIGINT')";
/** Not of the JSON types given, or null or missing (which only the JS check can tell apart). */
const notOf = (expr: string, types: string) => `coalesce(json_type(${expr}) NOT IN ${types}, true)`;
/** An instant from text with a zone (Z or an offset), else NULL: a naive time has no meaning here. 'Z' goes first. */
const instant = (text: string) =>
  `CASE WHEN suffix(${text}, 'Z') THEN TRY_CAST(${text} AS TIMESTAMPTZ) WHEN regexp_matches(${text}, '([+-][0-9]{2}:?[0-9]{2}|z)$') THEN TRY_CAST(${text} AS TIMESTAMPTZ) END`;

/**
 * `hours`: the rows of the pages' files (those listed in `pages`), judged. A timestamp that is not one makes the page
 * suspect too: the JS check then tells a string that is not a time (bad_timestamp) from a field of another type.
 */
export function stageHoursSql(files: readonly string[], intervalStartMs: number, intervalEndMs: number): string {
  const columns = 'ord BIGINT, sensor_id BIGINT, parameter_id BIGINT, period_start TIMESTAMPTZ, period_end TIMESTAMPTZ, value DOUBLE, coverage DOUBLE, suspect BOOLEAN, reject VARCHAR';
  if (files.length === 0) return `CREATE TEMP TABLE hours (${columns})`;
  const at = (ms: number) => `TIMESTAMPTZ ${literal(new Date(ms).toISOString())}`;
  return `CREATE TEMP TABLE hours AS
    WITH rows AS (
      SELECT p.rank::BIGINT * 4294967296 + u.i AS ord, p.sensor_id,
        TRY_CAST(u.r.value AS DOUBLE) AS value,
        TRY_CAST(u.r.parameter.id AS BIGINT) AS parameter_id,
        ${instant('u.r.period.datetimeFrom.utc')} AS period_start,
        ${instant('u.r.period.datetimeTo.utc')} AS period_end,
        TRY_CAST(u.r.coverage.percentCoverage AS DOUBLE) AS coverage,
        (u.r IS NULL OR ${notOf('u.r.value', NUMBER)} OR ${notOf('u.r.parameter.id', INTEGER)} OR ${notOf('u.r.coverage.percentCoverage', NUMBER)}
          OR period_start IS NULL OR period_end IS NULL) AS suspect
      FROM (
        SELECT filename, generate_subscripts(results, 1) AS i, unnest(results) AS r
        FROM (SELECT filename, coalesce(results, [NULL]) AS results FROM read_json([${files.map(literal).join(', ')}], filename = true, format = 'unstructured', columns = {results: '${RESULTS}'}))
      ) u JOIN pages p ON p.file = u.filename
    )
    SELECT rows.*,
      CASE
        WHEN s.sensor_id IS NULL THEN 'unknown_sensor'
        WHEN NOT coalesce(period_start < period_end, false) THEN 'bad_timestamp'
        WHEN period_end <= ${at(intervalStartMs)} OR period_end > ${at(intervalEndMs)} THEN 'outside_interval'
        WHEN rows.parameter_id IS DISTINCT FROM s.parameter_id THEN 'parameter_mismatch'
      END AS reject
    FROM rows LEFT JOIN sensors s USING (sensor_id)`;
}

/** Per page (by rank): its entries and whether one needs the JS check. */
export const PAGE_SUMMARY_SQL = `SELECT p.rank, count(h.ord) AS entries, coalesce(bool_or(h.suspect), false) AS suspect
  FROM pages p LEFT JOIN hours h ON h.ord // 4294967296 = p.rank GROUP BY p.rank ORDER BY p.rank`;

/** Each (sensor, period end) loaded: its first and its last fetch. */
export const LOADED_KEYS_SQL = `CREATE TEMP TABLE loaded_keys AS
  SELECT sensor_id, period_end, min(ord) AS first_ord, max(ord) AS last_ord FROM hours WHERE reject IS NULL GROUP BY ALL`;

/** rows in, then each reason's count (duplicate: loaded rows that a later fetch of the same period replaced). */
export const REJECTS_SQL = `SELECT count(*) AS rows_in,
    count_if(reject = 'bad_timestamp') AS bad_timestamp,
    count_if(reject = 'outside_interval') AS outside_interval,
    count_if(reject = 'unknown_sensor') AS unknown_sensor,
    count_if(reject = 'parameter_mismatch') AS parameter_mismatch,
    count_if(reject IS NULL) - (SELECT count(*) FROM loaded_keys) AS duplicate
  FROM hours`;

/** The facts, in the order their (sensor, period) was first fetched, each the last fetch of it. */
export function factTableSql(duplicates: boolean): string {
  const kept = duplicates
    ? 'SELECT k.first_ord, h.* FROM hours h JOIN loaded_keys k ON h.ord = k.last_ord'
    : // no period was fetched twice (the usual day): every loaded row is its own first and last fetch
      'SELECT ord AS first_ord, * FROM hours WHERE reject IS NULL';
  return `CREATE TEMP TABLE fact AS SELECT first_ord, sensor_id, period_start, period_end, value, coverage FROM (${kept})`;
}

/** Local time of each distinct period start in its sensor's zone (ICU: once per instant and zone, not per row). */
export const LOCAL_STARTS_SQL = `CREATE TEMP TABLE local_starts AS
  SELECT tz, period_start, timezone(tz, period_start) AS local_start
  FROM (SELECT DISTINCT s.tz, f.period_start FROM fact f JOIN sensors s USING (sensor_id))`;

/**
 * The columns of fact_measurement that vary by row, in the order the first of each was fetched; 64-bit integers as
 * doubles (exact below 2^53: microseconds until the year 2255), read without a BigInt each.
 */
export const FACT_ROWS_SQL = `SELECT f.sensor_id::DOUBLE AS sensor_id,
    (year(z.local_start) * 10000 + month(z.local_start) * 100 + day(z.local_start))::INTEGER AS date_key,
    hour(z.local_start)::INTEGER AS hour_local,
    epoch_us(f.period_start)::DOUBLE AS period_start_utc, epoch_us(f.period_end)::DOUBLE AS period_end_utc,
    f.value, coalesce(f.value >= 0, false) AS is_valid, f.coverage AS coverage_percent
  FROM fact f JOIN sensors s USING (sensor_id) JOIN local_starts z ON z.tz = s.tz AND z.period_start = f.period_start
  ORDER BY f.first_ord`;

/** dim_date: the local dates of the facts, in order (date as days since the epoch). */
export const DIM_DATE_SQL = `SELECT (year(d) * 10000 + month(d) * 100 + day(d))::INTEGER AS date_key,
    date_diff('day', DATE '1970-01-01', d)::INTEGER AS date, year(d)::INTEGER AS year, quarter(d)::INTEGER AS quarter,
    month(d)::INTEGER AS month, day(d)::INTEGER AS day, isodow(d)::INTEGER AS day_of_week, isodow(d) >= 6 AS is_weekend
  FROM (SELECT DISTINCT local_start::DATE AS d FROM local_starts) ORDER BY d`;
