// The OpenAQ pipeline end to end on the built-in simulator, as a user runs it: the repository's dags/openaq.yaml,
// `dag run openaq --date D` for three consecutive local days, then the warehouse read with `dag warehouse query`.
// The days straddle the switch to summer time in Europe/Paris (2024-03-31 has 23 hours), so local dates and hours
// are checked where they are easiest to get wrong. Raw rows are counted straight from the lake's JSON pages. The
// first run and the first query are real `dag` processes, the others go through the same command tree in this
// process (a Node start-up and module loading each otherwise; tests/support/in-process-cli.ts).
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { SENSORS, STATIONS } from '../../tasks/openaq/simulator/stations.js';
import { simulatedHourlyValue } from '../../tasks/openaq/simulator/values.js';
import { dag, workspace } from '../support/cli.js';
import { dagInProcess } from '../support/in-process-cli.js';
import { ROOT } from '../support/paths.js';
import { stateDb } from '../support/state.js';
import { runOpenaq } from '../support/pipeline-run.js';

const DATES = ['2024-03-30', '2024-03-31', '2024-04-01'];
const MIDDLE = DATES[1]!;
const HOUR_MS = 3_600_000;
const TABLES: Record<string, string> = {
  dim_location: 'location_id',
  dim_parameter: 'parameter_id',
  dim_sensor: 'sensor_id',
  dim_date: 'date_key',
  fact_measurement: 'sensor_id, period_end_utc',
};

const ws = workspace({ 'openaq.yaml': fs.readFileSync(path.join(ROOT, 'dags/openaq.yaml'), 'utf8') });

let ran = false;

/** `dag run openaq --date ds`: the first run a real `dag` process, the others through the command tree in this process. */
async function run(ds: string): Promise<void> {
  const output = await runOpenaq(ws, ds, { inProcess: ran });
  ran = true;
  // No OPENAQ_API_KEY: the built-in simulator serves the data.
  expect(output).toContain('using the built-in OpenAQ simulator');
}

let queried = false;

/** `dag warehouse query SQL -o json`, its text as printed. */
async function queryText(sql: string): Promise<string> {
  const args = ['warehouse', 'query', sql, '-o', 'json'];
  const r = await (queried ? dagInProcess(ws, args) : dag(ws, args));
  queried = true;
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

async function query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  return JSON.parse((await queryText(sql))) as T[];
}

/** The DAG's data interval for `ds` (@daily in Europe/Paris): local midnight to the next local midnight. */
function interval(ds: string): { start: number; end: number } {
  const start = DateTime.fromISO(ds, { zone: 'Europe/Paris' });
  return { start: start.toMillis(), end: start.plus({ days: 1 }).toMillis() };
}

/** A timestamp as the warehouse prints it (UTC, "YYYY-MM-DD HH:MM:SS"). */
const sqlTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

interface RawDay {
  /** Every row of every /hours page of the partition. */
  rows: number;
  /** What should be in fact_measurement: one row per (sensor, period end) in the interval, the last fetched. */
  facts: Map<string, { sensor_id: number; period_end_utc: string; value: number | null }>;
  locations: Set<number>;
  sensors: Map<number, { location_id: number; parameter_id: number }>;
  parameters: Set<number>;
}

/** Reads the published raw partition raw/openaq/ds=D/ in the lake: the JSON bodies as the API sent them. */
function rawDay(ds: string): RawDay {
  const dir = path.join(ws.home, 'lake', 'raw', 'openaq', `ds=${ds}`);
  const json = (rel: string) => JSON.parse(fs.readFileSync(path.join(dir, rel), 'utf8')) as { results: any[] };
  const pagesOf = (rel: string) => fs.readdirSync(path.join(dir, rel)).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(rel, f));

  const parameters = new Set<number>(pagesOf('parameters').flatMap((p) => json(p).results.map((r) => r.id as number)));
  const locations = new Set<number>();
  const sensors = new Map<number, { location_id: number; parameter_id: number }>();
  for (const p of pagesOf('locations')) {
    for (const loc of json(p).results) {
      locations.add(loc.id);
      for (const s of loc.sensors) sensors.set(s.id, { location_id: loc.id, parameter_id: s.parameter.id });
    }
  }
  const { start, end } = interval(ds);
  let rows = 0;
  const facts: RawDay['facts'] = new Map();
  for (const sensorDir of fs.readdirSync(path.join(dir, 'sensors')).sort()) {
    const sensorId = Number(sensorDir);
    for (const p of pagesOf(path.join('sensors', sensorDir, 'hours'))) {
      for (const r of json(p).results) {
        rows++;
        const to = Date.parse(r.period.datetimeTo.utc);
        const from = Date.parse(r.period.datetimeFrom.utc);
        const sensor = sensors.get(sensorId);
        if (!(from < to) || to <= start || to > end || !sensor || sensor.parameter_id !== r.parameter.id) continue;
        facts.set(`${sensorId} ${to}`, { sensor_id: sensorId, period_end_utc: sqlTime(to), value: r.value });
      }
    }
  }
  return { rows, facts, locations, sensors, parameters };
}

interface TransformXCom {
  ds: string;
  rows_in: number;
  rows_out: number;
  rejected: Record<string, number>;
}

/** The transform task's XCom (return_value) of the run for `ds`, from the state database. */
function transformXCom(ds: string): TransformXCom {
  const db = stateDb(ws.home);
  try {
    const values = db.prepare(`SELECT value FROM xcom WHERE dag_id = 'openaq' AND task_id = 'transform' AND key = 'return_value'`).all() as { value: string }[];
    const mine = values.map((v) => JSON.parse(v.value) as TransformXCom).filter((v) => v.ds === ds);
    expect(mine).toHaveLength(1);
    return mine[0]!;
  } finally {
    db.close();
  }
}

/** Every table, all columns, in key order: the text `dag warehouse query -o json` prints. */
async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [t, key] of Object.entries(TABLES)) out[t] = await queryText(`SELECT * FROM ${t} ORDER BY ${key}`);
  return out;
}

beforeAll(async () => {
  for (const ds of DATES) await run(ds);
}, 400_000);

// Generous: every test reads the warehouse several times, and a busy machine makes each read many times slower.
describe('dag run openaq on the simulator, three days, into DuckDB', { timeout: 300_000 }, () => {
  it('loads every raw row of each day once: fact rows = raw rows - rejected rows, value for value', async () => {
    const perDs = (await query<{ ds: string; n: number }>(`SELECT ds, count(*) AS n FROM fact_measurement GROUP BY ds ORDER BY ds`));
    expect(perDs.map((r) => r.ds)).toEqual(DATES);
    for (const ds of DATES) {
      const raw = rawDay(ds);
      const x = transformXCom(ds);
      const rejected = Object.values(x.rejected).reduce((a, b) => a + b, 0);
      expect(raw.rows).toBeGreaterThan(1000);
      expect(x.rows_in, ds).toBe(raw.rows);
      expect(perDs.find((r) => r.ds === ds)!.n, ds).toBe(raw.rows - rejected);
      expect(x.rows_out, ds).toBe(raw.rows - rejected);

      const facts = (await query<{ sensor_id: number; period_end_utc: string; value: number | null }>(
        `SELECT sensor_id, period_end_utc, value FROM fact_measurement WHERE ds = DATE '${ds}' ORDER BY sensor_id, period_end_utc`,
      ));
      const expected = [...raw.facts.values()].sort((a, b) => a.sensor_id - b.sensor_id || (a.period_end_utc < b.period_end_utc ? -1 : 1));
      expect(facts, ds).toEqual(expected);
    }
    // Nothing but the days run.
    expect((await query(`SELECT * FROM fact_measurement WHERE ds NOT IN (${DATES.map((d) => `DATE '${d}'`).join(', ')})`))).toEqual([]);
  });

  it('has exactly one dimension row per station, sensor and parameter after three days', async () => {
    const raw = DATES.map(rawDay);
    const stations = [...STATIONS].sort((a, b) => a.id - b.id);
    expect(stations).toHaveLength(29);
    expect(raw.every((r) => r.locations.size === stations.length)).toBe(true);
    expect((await query(`SELECT location_id, name, locality, timezone, country_code, latitude, longitude, is_mobile, is_monitor FROM dim_location ORDER BY location_id`))).toEqual(
      stations.map((s) => ({ location_id: s.id, name: s.name, locality: s.locality, timezone: 'Europe/Paris', country_code: 'FR', latitude: s.latitude, longitude: s.longitude, is_mobile: false, is_monitor: true })),
    );
    const sensors = [...SENSORS.values()].sort((a, b) => a.id - b.id);
    expect((await query(`SELECT sensor_id, location_id, parameter_id FROM dim_sensor ORDER BY sensor_id`))).toEqual(
      sensors.map((s) => ({ sensor_id: s.id, location_id: s.locationId, parameter_id: s.parameterId })),
    );
    const parameterIds = [...raw[0]!.parameters].sort((a, b) => a - b);
    expect((await query(`SELECT parameter_id FROM dim_parameter ORDER BY parameter_id`))).toEqual(parameterIds.map((parameter_id) => ({ parameter_id })));
    expect((await query(`SELECT parameter_id, name, units FROM dim_parameter WHERE parameter_id IN (1, 2, 3, 5) ORDER BY parameter_id`))).toEqual([
      { parameter_id: 1, name: 'pm10', units: 'µg/m³' },
      { parameter_id: 2, name: 'pm25', units: 'µg/m³' },
      { parameter_id: 3, name: 'o3', units: 'µg/m³' },
      { parameter_id: 5, name: 'no2', units: 'µg/m³' },
    ]);
    expect((await query(`SELECT date_key, date, day_of_week, is_weekend FROM dim_date ORDER BY date_key`))).toEqual([
      { date_key: 20240330, date: '2024-03-30', day_of_week: 6, is_weekend: true },
      { date_key: 20240331, date: '2024-03-31', day_of_week: 7, is_weekend: true },
      { date_key: 20240401, date: '2024-04-01', day_of_week: 1, is_weekend: false },
    ]);
    // Keys are unique, and every fact joins to its sensor, station and parameter.
    for (const [t, key] of Object.entries(TABLES).filter(([t]) => t.startsWith('dim_'))) {
      expect((await query(`SELECT count(*) - count(DISTINCT ${key}) AS dups FROM ${t}`)), t).toEqual([{ dups: 0 }]);
    }
    expect(
      (await query(`SELECT count(*) AS orphans FROM fact_measurement f LEFT JOIN dim_sensor s ON s.sensor_id = f.sensor_id AND s.location_id = f.location_id AND s.parameter_id = f.parameter_id
             LEFT JOIN dim_location l ON l.location_id = f.location_id LEFT JOIN dim_parameter p ON p.parameter_id = f.parameter_id LEFT JOIN dim_date d ON d.date_key = f.date_key
             WHERE s.sensor_id IS NULL OR l.location_id IS NULL OR p.parameter_id IS NULL OR d.date_key IS NULL`)),
    ).toEqual([{ orphans: 0 }]);
  });

  it('keys each fact by the local date of its run, and date_key / hour_local by Europe/Paris wall time', async () => {
    const rows = (await query<{ ds: string; date_key: number; hour_local: number; period_start_utc: string; period_end_utc: string }>(
      `SELECT ds, date_key, hour_local, period_start_utc, period_end_utc FROM fact_measurement ORDER BY sensor_id, period_end_utc`,
    ));
    const hoursByDs = new Map<string, Set<number>>();
    for (const r of rows) {
      const startMs = Date.parse(r.period_start_utc.replace(' ', 'T') + 'Z');
      const endMs = Date.parse(r.period_end_utc.replace(' ', 'T') + 'Z');
      expect(endMs - startMs).toBe(HOUR_MS);
      const { start, end } = interval(r.ds);
      expect(endMs > start && endMs <= end, `${r.period_end_utc} in ds ${r.ds}`).toBe(true);
      const local = DateTime.fromMillis(startMs, { zone: 'Europe/Paris' });
      expect({ date_key: r.date_key, hour_local: r.hour_local }).toEqual({ date_key: Number(local.toFormat('yyyyLLdd')), hour_local: local.hour });
      expect(r.date_key).toBe(Number(r.ds.replaceAll('-', '')));
      if (!hoursByDs.has(r.ds)) hoursByDs.set(r.ds, new Set());
      hoursByDs.get(r.ds)!.add(r.hour_local);
    }
    const all = Array.from({ length: 24 }, (_, h) => h);
    expect([...hoursByDs.get('2024-03-30')!].sort((a, b) => a - b)).toEqual(all);
    // Clocks go from 02:00 to 03:00 on 2024-03-31: no hour 2 that day.
    expect([...hoursByDs.get('2024-03-31')!].sort((a, b) => a - b)).toEqual(all.filter((h) => h !== 2));
    expect([...hoursByDs.get('2024-04-01')!].sort((a, b) => a - b)).toEqual(all);
    // --date 2024-03-31 covers 2024-03-30T23:00Z .. 2024-03-31T22:00Z (+01:00 then +02:00).
    expect((await query(`SELECT min(period_start_utc) AS first, max(period_end_utc) AS last FROM fact_measurement WHERE ds = DATE '2024-03-31'`))).toEqual([
      { first: '2024-03-30 23:00:00', last: '2024-03-31 22:00:00' },
    ]);
  });

  it("has a station's hourly values as the simulator serves them, sentinels kept as invalid", async () => {
    const station = STATIONS.find((s) => s.name === 'Auto A1 -Saint-Denis')!;
    const sensors = [...SENSORS.values()].filter((s) => s.locationId === station.id).sort((a, b) => a.id - b.id);
    const expected: { sensor_id: number; period_end_utc: string; value: number; is_valid: boolean }[] = [];
    let hours = 0;
    for (const s of sensors) {
      for (const ds of DATES) {
        const { start, end } = interval(ds);
        for (let t = start + HOUR_MS; t <= end; t += HOUR_MS) {
          hours++;
          const v = simulatedHourlyValue(s.id, t);
          if (v !== null) expected.push({ sensor_id: s.id, period_end_utc: sqlTime(t), value: v, is_valid: v >= 0 });
        }
      }
    }
    // The station has gaps and sentinels in these days, so both are put to the test.
    expect(expected.length).toBeLessThan(hours);
    expect(expected.filter((r) => !r.is_valid).length).toBeGreaterThan(0);
    expect(
      (await query(`SELECT sensor_id, period_end_utc, value, is_valid FROM fact_measurement WHERE location_id = ${station.id} ORDER BY sensor_id, period_end_utc`)),
    ).toEqual(expected);
  });

  it('running the middle day again replaces it and leaves every table exactly as it was', async () => {
    const before = await snapshot();
    const middleRows = (await query<{ n: number }>(`SELECT count(*) AS n FROM fact_measurement WHERE ds = DATE '${MIDDLE}'`))[0]!.n;
    expect(middleRows).toBeGreaterThan(1000);
    await run(MIDDLE);
    const db = stateDb(ws.home);
    try {
      const loads = db.prepare(`SELECT value FROM xcom WHERE dag_id = 'openaq' AND task_id = 'load_star' AND key = 'return_value'`).all() as { value: string }[];
      const load = loads.map((l) => JSON.parse(l.value)).find((l) => l.ds === MIDDLE);
      // It really ran again: the day's rows were deleted and inserted anew.
      expect(load).toMatchObject({ ds: MIDDLE, replaced_fact_rows: middleRows, loaded: { fact_measurement: middleRows } });
    } finally {
      db.close();
    }
    const after = await snapshot();
    for (const t of Object.keys(TABLES)) expect(after[t], t).toBe(before[t]);
  }, 300_000);
});
