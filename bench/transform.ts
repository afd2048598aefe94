// Transform and warehouse benchmarks (issue 5), each beside a baseline measured in the same run:
// (a) star.transform over a year of ~115 sensors (~1,000,000 hourly rows in v3 /hours pages of 1000 rows) in its own
//     process: rows/s (target >= 500,000) and peak RSS (target < 500 MB);
// (b) the same transform written in DuckDB SQL over the same raw JSON files (read_json, time zone, dedup, Parquet
//     out): ratio ours / DuckDB in time (target within 2x);
// (c) loading that year into a new DuckDB warehouse (target < 3 s);
// (d) re-running the load of one day (target < 200 ms): as it is (same files, warehouse untouched since: nothing to
//     do), and in full (as after any other write to the warehouse: its load record removed first).
// Values come from the simulator's value function; sensors beyond its 62 reuse its series under other ids.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileLake } from '../tasks/lake/file-lake.js';
import { SENSORS, simulatedHourlyValue } from '../tasks/openaq/simulator/index.js';
import { rawPartitionPrefix } from '../tasks/openaq/raw-format.js';
import { DuckDbWarehouse } from '../tasks/warehouse/duckdb-warehouse.js';
import { loadRecordPath } from '../tasks/warehouse/duckdb-load-record.js';
import { localDay, writeRawPartition, type RawSpec, type SpecHour, type SpecLocation } from '../tests/support/raw-partition.js';
import { runOperator } from '../tests/support/operator-harness.js';
import { transformOperator } from '../tasks/star/transform.js';
import { median, timeMs, type BenchResult } from './stats.js';

const HOUR_MS = 3_600_000;
const SENSOR_COUNT = 115;
const PAGE_ROWS = 1000;
export const YEAR_DS = '2024-01-01';
export const YEAR = { start: '2023-12-31T23:00:00+00:00', end: '2024-12-31T23:00:00+00:00' };
const DAY_DS = '2025-04-20';

interface BenchSensor {
  id: number;
  locationId: number;
  parameterId: number;
  /** The simulator sensor whose values it serves. */
  source: number;
}

function benchSensors(): BenchSensor[] {
  const base = [...SENSORS.values()];
  return Array.from({ length: SENSOR_COUNT }, (_, i) => {
    const s = base[i % base.length]!;
    const copy = Math.floor(i / base.length);
    return { id: s.id + copy * 100_000, locationId: s.locationId + copy * 10_000, parameterId: s.parameterId, source: s.id };
  });
}

export function spec(ds: string, interval: { start: string; end: string }): RawSpec {
  const sensors = benchSensors();
  const locations = new Map<number, SpecLocation>();
  for (const s of sensors) {
    const loc = locations.get(s.locationId) ?? { id: s.locationId, name: `Station ${s.locationId}`, sensors: [] };
    loc.sensors.push({ id: s.id, parameterId: s.parameterId });
    locations.set(s.locationId, loc);
  }
  const t0 = Date.parse(interval.start);
  const hours = Math.round((Date.parse(interval.end) - t0) / HOUR_MS);
  const pages: RawSpec['pages'] = [];
  for (const s of sensors) {
    // the hours with a value (the simulator leaves ~4% out, like the real feed)
    const ends: number[] = [];
    for (let h = 1; h <= hours; h++) if (simulatedHourlyValue(s.source, t0 + h * HOUR_MS) !== null) ends.push(t0 + h * HOUR_MS);
    for (let p = 0; p * PAGE_ROWS < ends.length; p++) {
      const slice = ends.slice(p * PAGE_ROWS, (p + 1) * PAGE_ROWS);
      pages.push({ sensorId: s.id, rows: (): SpecHour[] => slice.map((end) => ({ end, value: simulatedHourlyValue(s.source, end) })) });
    }
  }
  return { ds, interval, locations: [...locations.values()], pages };
}

/** The fact, in DuckDB SQL over the same raw files: parse, attribute, local time, dedup, Parquet. */
function duckdbTransformSql(lakeRoot: string, ds: string, out: string): string {
  const part = path.join(lakeRoot, rawPartitionPrefix(ds));
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  return `
COPY (
  WITH pages AS (
    SELECT filename, results FROM read_json(${q(path.join(part, 'sensors/*/hours/page-*.json'))}, filename = true, format = 'auto',
      columns = {results: 'STRUCT(value DOUBLE, parameter STRUCT(id INTEGER), period STRUCT(datetimeFrom STRUCT(utc VARCHAR), datetimeTo STRUCT(utc VARCHAR)), coverage STRUCT(percentCoverage DOUBLE))[]'})
  ),
  locs AS (SELECT unnest(results) AS l FROM read_json(${q(path.join(part, 'locations/page-*.json'))}, format = 'auto')),
  sensors AS (SELECT s.id AS sensor_id, l.id AS location_id, s.parameter.id AS parameter_id, l.timezone AS tz FROM (SELECT l, unnest(l.sensors) AS s FROM locs)),
  raw AS (SELECT CAST(regexp_extract(filename, 'sensors/([0-9]+)/', 1) AS BIGINT) AS sensor_id, filename, generate_subscripts(results, 1) AS i, unnest(results) AS r FROM pages),
  rows AS (
    SELECT raw.sensor_id, s.location_id, r.parameter.id AS parameter_id,
      CAST(r.period.datetimeFrom.utc AS TIMESTAMPTZ) AS period_start_utc, CAST(r.period.datetimeTo.utc AS TIMESTAMPTZ) AS period_end_utc,
      r.value AS value, r.coverage.percentCoverage AS coverage_percent, s.tz, filename, i
    FROM raw JOIN sensors s USING (sensor_id)
  )
  SELECT DATE ${q(ds)} AS ds, sensor_id, location_id, parameter_id,
    CAST(strftime(timezone(tz, period_start_utc), '%Y%m%d') AS INTEGER) AS date_key, hour(timezone(tz, period_start_utc)) AS hour_local,
    period_start_utc, period_end_utc, value, coalesce(value >= 0, false) AS is_valid, coverage_percent
  FROM rows
  QUALIFY row_number() OVER (PARTITION BY sensor_id, period_end_utc ORDER BY filename DESC, i DESC) = 1
) TO ${q(out)} (FORMAT parquet, COMPRESSION snappy)`;
}

export async function benchTransform(): Promise<BenchResult[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'windsock-bench-transform-'));
  try {
    const home = path.join(root, 'home');
    const lake = new FileLake(path.join(home, 'lake'));
    const year = await writeRawPartition(lake, spec(YEAR_DS, YEAR));

    // (a) ours, in a child process: median of 3 runs, peak RSS the largest
    const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'transform-child.js');
    const runs = [0, 1, 2].map(() => JSON.parse(execFileSync(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : []), child, home, YEAR_DS, YEAR.start, YEAR.end], { encoding: 'utf8', env: { ...process.env, WINDSOCK_LAKE: '' } })) as { ms: number; rows: number; maxRssMb: number });
    const oursMs = median(runs.map((r) => r.ms));
    const rows = runs[0]!.rows;

    // (b) DuckDB SQL over the same files
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(`SET TimeZone = 'UTC'`);
    const duckTimes: number[] = [];
    for (let i = 0; i < 3; i++) duckTimes.push(await timeMs(() => conn.run(duckdbTransformSql(lake.root, YEAR_DS, path.join(root, `duck-${i}.parquet`)))));
    const duckMs = median(duckTimes);
    conn.closeSync();
    db.closeSync();

    // (c) the year into a new warehouse, (d) one day's load run again
    const whFile = path.join(root, 'warehouse.duckdb');
    const wh = new DuckDbWarehouse(whFile, `duckdb://${whFile}`);
    const loadMs = await timeMs(() => wh.loadStar(lake, YEAR_DS));
    const day = localDay(DAY_DS);
    await writeRawPartition(lake, spec(DAY_DS, day));
    await runOperator(transformOperator, {}, { home, dsLocal: DAY_DS, dagId: 'openaq' });
    await wh.loadStar(lake, DAY_DS);
    const rerunMs = median([await timeMs(() => wh.loadStar(lake, DAY_DS)), await timeMs(() => wh.loadStar(lake, DAY_DS)), await timeMs(() => wh.loadStar(lake, DAY_DS))]);
    const fullRuns: number[] = [];
    for (let i = 0; i < 3; i++) {
      fs.rmSync(loadRecordPath(whFile), { force: true });
      fullRuns.push(await timeMs(() => wh.loadStar(lake, DAY_DS)));
    }
    const fullRerunMs = median(fullRuns);

    const oursRate = rows / (oursMs / 1000);
    const duckRate = rows / (duckMs / 1000);
    return [
      { name: `transform: ${rows.toLocaleString('en')} rows (${year.manifest.pages.length} pages), star.transform`, value: oursRate, unit: 'rows/s', baseline: duckRate, baselineName: 'DuckDB SQL over the same JSON', ratio: oursMs / duckMs, target: '>= 500,000 rows/s; time within 2x of DuckDB' },
      { name: 'transform: peak RSS of the transform process', value: Math.max(...runs.map((r) => r.maxRssMb)), unit: 'MB', target: '< 500 MB' },
      { name: 'transform: wall time', value: oursMs, unit: 'ms', baseline: duckMs, baselineName: 'DuckDB', ratio: oursMs / duckMs },
      { name: `load_star: a year (${rows.toLocaleString('en')} facts) into a new DuckDB warehouse`, value: loadMs, unit: 'ms', target: '< 3,000 ms' },
      { name: 'load_star: re-run of one day into that warehouse', value: rerunMs, unit: 'ms', target: '< 200 ms' },
      { name: 'load_star: re-run of one day in full (the warehouse written otherwise since)', value: fullRerunMs, unit: 'ms', target: '< 200 ms' },
    ];
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
