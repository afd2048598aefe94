// The real Paris-AQ data (tests/fixtures/openaq/paris-2024-04-11_2024-05-10.csv) served through a v3-shaped test
// server, pulled by `dag run openaq` exactly as users run it, with a key and a base URL; then the daily means per
// station and parameter in DuckDB are checked against means computed straight from the CSV for the same local day.
// The first day runs in a real `dag` process; the second day and the queries go through the same command tree in
// this process (tests/support/in-process-cli.ts; `dag warehouse query` has its real-process test elsewhere).
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspace, type Workspace } from '../support/cli.js';
import { dagInProcess } from '../support/in-process-cli.js';
import { PARIS_CSV, startParisV3Server, type ParisV3Server } from '../support/paris-v3-server.js';
import { ROOT } from '../support/paths.js';
import { runOpenaq } from '../support/pipeline-run.js';

const DATES = ['2024-04-20', '2024-04-21'];
const API_KEY = 'test-key';
let server: ParisV3Server;
let ws: Workspace;

/** The CSV read here on its own, as anyone would: value,local,unit,name,location,latitude,longitude. */
interface CsvRow {
  value: number;
  local: string;
  name: string;
  location: string;
  latitude: number;
  longitude: number;
}
const csv: CsvRow[] = fs
  .readFileSync(PARIS_CSV, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [value, local, , name, location, latitude, longitude] = line.split(',');
    return { value: Number(value), local: local!, name: name!, location: location!, latitude: Number(latitude), longitude: Number(longitude) };
  });

/** The DAG's data interval for `ds` (@daily in Europe/Paris): local midnight to local midnight, as instants. */
function interval(ds: string): { start: number; end: number } {
  const start = DateTime.fromISO(ds, { zone: 'Europe/Paris' });
  return { start: start.toMillis(), end: start.plus({ days: 1 }).toMillis() };
}

/** CSV rows of local day `ds`: timestamps are hour ENDS, so (local midnight, next local midnight]. */
function csvDay(ds: string): CsvRow[] {
  const { start, end } = interval(ds);
  return csv.filter((r) => Date.parse(r.local) > start && Date.parse(r.local) <= end);
}

interface DailyStat {
  location: string;
  parameter: string;
  hours: number;
  valid_hours: number;
  mean: number | null;
}

/** Per station and parameter: hours, hours with a real value, and the mean of the real values (sentinels < 0 out). */
function csvDailyStats(ds: string): DailyStat[] {
  const groups = new Map<string, CsvRow[]>();
  for (const r of csvDay(ds)) {
    const k = `${r.location}\u0000${r.name}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.entries()]
    .map(([k, rows]) => {
      const [location, parameter] = k.split('\u0000') as [string, string];
      const valid = rows.filter((r) => r.value >= 0).map((r) => r.value);
      return { location, parameter, hours: rows.length, valid_hours: valid.length, mean: valid.length ? valid.reduce((a, b) => a + b, 0) / valid.length : null };
    })
    .sort((a, b) => (a.location < b.location ? -1 : a.location > b.location ? 1 : a.parameter < b.parameter ? -1 : a.parameter > b.parameter ? 1 : 0));
}

async function query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const r = await dagInProcess(ws, ['warehouse', 'query', sql, '-o', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T[];
}

/** `dag run openaq --date ds`: the first day's a real `dag` process, the second through the command tree here. */
async function run(ds: string): Promise<void> {
  await runOpenaq(ws, ds, { inProcess: ds !== DATES[0] });
}

beforeAll(async () => {
  server = await startParisV3Server({ apiKey: API_KEY });
  ws = workspace(
    { 'openaq.yaml': fs.readFileSync(path.join(ROOT, 'dags/openaq.yaml'), 'utf8') },
    // The test server enforces no rate limit, so the client need not pace itself at 60 a minute.
    { OPENAQ_API_KEY: API_KEY, OPENAQ_BASE_URL: server.url, OPENAQ_RATE_LIMIT_PER_MINUTE: '0', OPENAQ_RATE_LIMIT_PER_HOUR: '0' },
  );
  for (const ds of DATES) await run(ds);
}, 400_000);

afterAll(() => server?.close());

describe('the real Paris data through a v3 server, `dag run openaq`, DuckDB', () => {
  it('asked the server for each local day by period end, for every sensor, with the key', async () => {
    const hours = server.requests.filter((r) => r.includes('/hours?'));
    const sensorIds = server.stations.flatMap((s) => s.sensors.map((x) => x.id)).sort((a, b) => a - b);
    expect(sensorIds.length).toBeGreaterThan(29);
    for (const ds of DATES) {
      const { start, end } = interval(ds);
      const window = `datetime_from=${new Date(start).toISOString().replace('.000Z', 'Z')}&datetime_to=${new Date(end).toISOString().replace('.000Z', 'Z')}`;
      const asked = hours.filter((r) => r.includes(window)).map((r) => Number(/\/sensors\/(\d+)\/hours/.exec(r)![1]));
      expect(asked.sort((a, b) => a - b)).toEqual(sensorIds);
    }
    expect(hours.length).toBe(sensorIds.length * DATES.length);
    expect(server.requests.filter((r) => r.startsWith('/v3/locations?')).length).toBe(DATES.length);
    // No request was refused: the key was sent and every query was valid.
    expect(server.errors).toEqual([]);
  });

  for (const ds of DATES) {
    it(`daily means per station and parameter for ${ds} equal the CSV's, sentinels excluded`, async () => {
      const expected = csvDailyStats(ds);
      // The day has sentinels and midnight readings, so both the exclusion and the day boundary are put to the test.
      expect(expected.some((g) => g.valid_hours < g.hours)).toBe(true);
      expect(csvDay(ds).some((r) => r.local === `${DateTime.fromISO(ds).plus({ days: 1 }).toISODate()}T00:00:00+02:00`)).toBe(true);

      const got = (await query<DailyStat>(`
        SELECT l.name AS location, p.name AS parameter, count(*) AS hours, count(*) FILTER (WHERE f.is_valid) AS valid_hours,
               avg(f.value) FILTER (WHERE f.is_valid) AS mean
        FROM fact_measurement f JOIN dim_location l ON l.location_id = f.location_id JOIN dim_parameter p ON p.parameter_id = f.parameter_id
        WHERE f.ds = DATE '${ds}'
        GROUP BY 1, 2 ORDER BY 1, 2`));
      expect(got.map(({ location, parameter, hours, valid_hours }) => ({ location, parameter, hours, valid_hours }))).toEqual(
        expected.map(({ location, parameter, hours, valid_hours }) => ({ location, parameter, hours, valid_hours })),
      );
      for (const [i, e] of expected.entries()) {
        const m = got[i]!.mean;
        if (e.mean === null) expect(m, `${e.location} ${e.parameter}`).toBeNull();
        else expect(Math.abs(m! - e.mean) / Math.abs(e.mean), `${e.location} ${e.parameter}: ${m} vs ${e.mean}`).toBeLessThanOrEqual(1e-9);
      }
    });
  }

  it('the reading stamped at local midnight belongs to the day it ends, at hour 23', async () => {
    const ds = DATES[0]!;
    const midnight = `${DateTime.fromISO(ds).plus({ days: 1 }).toISODate()}T00:00:00+02:00`;
    const expected = csv.filter((r) => r.local === midnight);
    const rows = (await query<{ ds: string; date_key: number; hour_local: number; n: number }>(`
      SELECT ds, date_key, hour_local, count(*) AS n FROM fact_measurement
      WHERE period_end_utc = TIMESTAMP '${new Date(Date.parse(midnight)).toISOString().slice(0, 19).replace('T', ' ')}'
      GROUP BY ALL`));
    expect(rows).toEqual([{ ds, date_key: Number(ds.replaceAll('-', '')), hour_local: 23, n: expected.length }]);
  });

  it('has one row per station, with its name and position, and only the data of the days run', async () => {
    const stations = new Map(csv.map((r) => [r.location, { name: r.location, latitude: r.latitude, longitude: r.longitude }]));
    const locs = (await query(`SELECT name, latitude, longitude, timezone, country_code FROM dim_location ORDER BY name`));
    expect(locs).toEqual([...stations.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((s) => ({ ...s, timezone: 'Europe/Paris', country_code: 'FR' })));
    expect((await query(`SELECT ds, count(*) AS n FROM fact_measurement GROUP BY ds ORDER BY ds`))).toEqual(DATES.map((ds) => ({ ds, n: csvDay(ds).length })));
  });
});
