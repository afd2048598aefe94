// The warehouse queries behind the analytics endpoints, in the SQL that DuckDB and BigQuery read alike (unqualified
// names resolve in the BigQuery warehouse's dataset). Pure. Every value put in the text has been validated (params.ts).
import type { Pollutant } from './params.js';

/** The parameter's ids in µg/m³ (OpenAQ has one id per pollutant and unit). */
const parameterIds = (p: Pollutant) => `(SELECT parameter_id FROM dim_parameter WHERE name = '${p}' AND units = 'µg/m³')`;

/** Hourly values of the Paris local days from..to, in (time, sensor) order; null where the hour is not valid. */
export function measurementsSql(p: Pollutant, from: string, to: string): string {
  return `SELECT period_start_utc AS time, sensor_id, location_id, CASE WHEN is_valid THEN value END AS value
FROM fact_measurement
WHERE ds BETWEEN DATE '${from}' AND DATE '${to}' AND parameter_id IN ${parameterIds(p)}
ORDER BY time, sensor_id`;
}

/** The daily statistics of daily_air_quality, in (date, sensor) order. */
export function dailySql(p: Pollutant, from: string, to: string): string {
  return `SELECT ds AS date, sensor_id, location_id, valid_hours, mean, mda8, complete, exceeds_who
FROM daily_air_quality
WHERE ds BETWEEN DATE '${from}' AND DATE '${to}' AND parameter_id IN ${parameterIds(p)}
ORDER BY date, sensor_id`;
}

/** One row per sensor, with its station, its parameter and the span of its valid data. */
export const STATIONS_SQL = `SELECT l.location_id, l.name, l.latitude, l.longitude, s.sensor_id, p.name AS parameter, p.units,
       f.first_time, f.last_time
FROM dim_sensor AS s
JOIN dim_location AS l ON l.location_id = s.location_id
JOIN dim_parameter AS p ON p.parameter_id = s.parameter_id
LEFT JOIN (SELECT sensor_id, MIN(period_start_utc) AS first_time, MAX(period_end_utc) AS last_time
           FROM fact_measurement WHERE is_valid GROUP BY sensor_id) AS f ON f.sensor_id = s.sensor_id
ORDER BY l.location_id, s.sensor_id`;
