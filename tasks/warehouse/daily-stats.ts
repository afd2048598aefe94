// Daily air-quality statistics per sensor and Paris local day, derived from fact_measurement by warehouse.load_star:
// valid hours, the 24-hour mean (PM2.5, PM10, NO2), the maximum daily 8-hour running mean (O3), the completeness rule
// and whether the day exceeds the WHO 2021 guideline. Pure: the SQL as text, in the subset of SQL that DuckDB and
// BigQuery read alike (only the table names are quoted differently).
//
// The rules are those of the EU air-quality directive 2008/50/EC (Annex VII and XI):
//   - only valid hours count (is_valid = false marks OpenAQ's sentinels such as -1 and -999);
//   - a day counts when at least 18 of its hours are valid (75 %); otherwise exceeds_who is null, never false;
//   - an 8-hour running mean counts when at least 6 of its 8 hours are valid; each window belongs to the day on which
//     it ends, so a day's windows run from 17:00-01:00 (the evening before) to 16:00-24:00. Windows are 8 elapsed
//     hours (UTC), so they stay 8 hours long across the daylight-saving changes.
import { DateTime } from 'luxon';
import type { DerivedTableName, TableDef } from '../star/schema.js';

/** WHO 2021 air-quality guidelines (µg/m³): 24-hour means, and the 8-hour mean for ozone. */
export const WHO_GUIDELINES = { pm25: 15, pm10: 45, no2: 25, o3: 100 } as const;
/** Hours a day needs to count (18 of 24, 75 %). */
export const COMPLETE_HOURS = 18;
/** Valid hours an 8-hour window needs to count (6 of 8, 75 %). */
export const WINDOW_MIN_HOURS = 6;

export const DAILY_AIR_QUALITY: TableDef<DerivedTableName> = {
  name: 'daily_air_quality',
  kind: 'fact',
  key: ['sensor_id', 'ds'],
  columns: [
    { name: 'ds', type: 'DATE', nullable: false },
    { name: 'sensor_id', type: 'BIGINT', nullable: false },
    { name: 'location_id', type: 'BIGINT', nullable: false },
    { name: 'parameter_id', type: 'INTEGER', nullable: false },
    { name: 'valid_hours', type: 'INTEGER', nullable: false },
    { name: 'mean', type: 'DOUBLE', nullable: true },
    { name: 'mda8', type: 'DOUBLE', nullable: true },
    { name: 'complete', type: 'BOOLEAN', nullable: false },
    { name: 'exceeds_who', type: 'BOOLEAN', nullable: true },
  ],
};

/** How a backend names a table in SQL: "fact_measurement" (DuckDB) or `project.dataset.fact_measurement` (BigQuery). */
export type TableName = (table: string) => string;

/** The local days whose statistics a load of `ds` changes: ds itself, and the next day (its first windows use ds's evening). */
export function daysAffectedBy(ds: string): string[] {
  return [ds, DateTime.fromISO(ds, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!];
}

/** "2024-04-19 22:00:00+00": the UTC instant a local day starts, as a TIMESTAMP literal both engines read. */
function instant(d: DateTime): string {
  return `TIMESTAMP '${d.toUTC().toFormat('yyyy-MM-dd HH:mm:ss')}+00'`;
}

/** Whether the day's statistic (the mean, or the MDA8 for ozone) is above the parameter's guideline; null without one. */
const exceedsCase = `CASE s.parameter ${Object.entries(WHO_GUIDELINES)
  .map(([name, level]) => `WHEN '${name}' THEN ${name === 'o3' ? 's.mda8' : 's.mean'} > ${level}`)
  .join(' ')} END`;

/**
 * The statistics of one local day (`timezone`, Europe/Paris for the openaq DAG): one row per sensor with any fact
 * row that day, in the columns of DAILY_AIR_QUALITY.
 */
export function dailyStatsSelect(ds: string, table: TableName, timezone = 'Europe/Paris'): string {
  const start = DateTime.fromISO(ds, { zone: timezone });
  if (!start.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(ds)) throw new Error(`dailyStatsSelect: ${ds} is not a date (YYYY-MM-DD)`);
  const end = start.plus({ days: 1 });
  const prev = start.minus({ days: 1 }).toISODate()!;
  // Every hour a valid value can be the end of: itself and the 7 hours after it.
  const ends = Array.from({ length: 8 }, (_, k) => `SELECT sensor_id, t + INTERVAL ${k} HOUR AS e FROM valid`).join(' UNION ALL ');
  return `WITH facts AS (
  SELECT ds, sensor_id, location_id, parameter_id, period_start_utc AS t, value, (is_valid AND value IS NOT NULL) AS ok
  FROM ${table('fact_measurement')}
  WHERE ds BETWEEN DATE '${prev}' AND DATE '${ds}'
),
valid AS (SELECT sensor_id, t, value FROM facts WHERE ok),
days AS (
  SELECT sensor_id, location_id, parameter_id, COUNT(CASE WHEN ok THEN 1 END) AS valid_hours, AVG(CASE WHEN ok THEN value END) AS mean
  FROM facts WHERE ds = DATE '${ds}'
  GROUP BY sensor_id, location_id, parameter_id
),
window_ends AS (
  SELECT DISTINCT sensor_id, e FROM (${ends}) AS candidates
  WHERE e >= ${instant(start)} AND e < ${instant(end)}
),
windows AS (
  SELECT w.sensor_id, w.e, COUNT(*) AS n, AVG(v.value) AS m
  FROM window_ends AS w JOIN valid AS v ON v.sensor_id = w.sensor_id AND v.t <= w.e AND v.t > w.e - INTERVAL 8 HOUR
  GROUP BY w.sensor_id, w.e
),
best AS (SELECT sensor_id, MAX(m) AS mda8 FROM windows WHERE n >= ${WINDOW_MIN_HOURS} GROUP BY sensor_id),
stats AS (
  SELECT d.sensor_id, d.location_id, d.parameter_id, d.valid_hours,
         CASE WHEN p.name = 'o3' THEN NULL ELSE d.mean END AS mean,
         CASE WHEN p.name = 'o3' THEN b.mda8 END AS mda8,
         p.name AS parameter
  FROM days AS d
  LEFT JOIN ${table('dim_parameter')} AS p ON p.parameter_id = d.parameter_id
  LEFT JOIN best AS b ON b.sensor_id = d.sensor_id
)
SELECT DATE '${ds}' AS ds, s.sensor_id, s.location_id, s.parameter_id, s.valid_hours, s.mean, s.mda8,
       s.valid_hours >= ${COMPLETE_HOURS} AS complete,
       CASE WHEN s.valid_hours >= ${COMPLETE_HOURS} THEN ${exceedsCase} END AS exceeds_who
FROM stats AS s`;
}

/**
 * What rebuilds the statistics of the days a load of `ds` changes: one statement deleting them, then one insert per
 * day (`day`: the local day it computes, whose facts it reads).
 */
export function dailyStatsRebuild(ds: string, table: TableName, timezone?: string): { remove: string; inserts: { day: string; sql: string }[] } {
  const days = daysAffectedBy(ds);
  const target = table(DAILY_AIR_QUALITY.name);
  const cols = DAILY_AIR_QUALITY.columns.map((c) => c.name).join(', ');
  return {
    remove: `DELETE FROM ${target} WHERE ds IN (${days.map((d) => `DATE '${d}'`).join(', ')})`,
    inserts: days.map((d) => ({ day: d, sql: `INSERT INTO ${target} (${cols}) ${dailyStatsSelect(d, table, timezone)}` })),
  };
}

/** The statements that rebuild the statistics of the days a load of `ds` changes: delete them, insert them anew. */
export function dailyStatsStatements(ds: string, table: TableName, timezone?: string): string[] {
  const { remove, inserts } = dailyStatsRebuild(ds, table, timezone);
  return [remove, ...inserts.map((i) => i.sql)];
}
