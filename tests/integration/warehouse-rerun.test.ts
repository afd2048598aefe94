// warehouse.load_star run again on a day already loaded into DuckDB: with the same star files and a warehouse nothing
// wrote since, it leaves the warehouse as it is (and says so); after any other write (another day's load, a change
// made with DuckDB itself) it loads in full, so the day ends exactly as its star files say. The same raw pages fetched
// again in another order (another extract of the day: its requests finish in another order) make the same star files,
// so a second `dag run openaq` of a day leaves the warehouse as it is too.
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { FileLake } from '../../tasks/lake/file-lake.js';
import { startSimulator } from '../../tasks/openaq/simulator/index.js';
import { sha256 } from '../../tasks/openaq/staging.js';
import { STAR_TABLES, starFileKey } from '../../tasks/star/schema.js';
import { transformOperator } from '../../tasks/star/transform.js';
import { loadStarOperator } from '../../tasks/warehouse/load-star.js';
import type { LoadStarResult } from '../../tasks/warehouse/warehouse.js';
import { workspace, type Workspace } from '../support/cli.js';
import { runOperator } from '../support/operator-harness.js';
import { ROOT } from '../support/paths.js';
import { runOpenaq } from '../support/pipeline-run.js';
import { hoursOf, localDay, writeRawPartition, type SpecLocation } from '../support/raw-partition.js';
import { tempDir } from '../support/tmp.js';

const home = path.join(tempDir(), 'home');
const file = path.join(home, 'warehouse.duckdb');
const lake = new FileLake(path.join(home, 'lake'));

for (const k of Object.keys(process.env)) if (k.startsWith('WINDSOCK_')) delete process.env[k];

const no2 = { id: 40185, parameterId: 5 };
const pm25 = { id: 40182, parameterId: 2 };

/** The day's raw partition and its transform; `fetchedAt` of each sensor's page (default: in listing order). */
async function day(ds: string, name: string, value: (i: number) => number | null, fetchedAt?: (sensorId: number) => string): Promise<void> {
  const loc: SpecLocation = { id: 4018, name, sensors: [no2, pm25] };
  await writeRawPartition(lake, { ds, locations: [loc], pages: loc.sensors.map((s) => ({ sensorId: s.id, fetchedAt: fetchedAt?.(s.id), rows: hoursOf(localDay(ds), value) })) });
  await runOperator(transformOperator, {}, { home, dsLocal: ds, dagId: 'openaq' });
}

/** The sha256 of each star file of the day in `lakeRoot`. */
const starFiles = (lakeRoot: string, ds: string) => Object.fromEntries(STAR_TABLES.map((t) => [t.name, sha256(fs.readFileSync(path.join(lakeRoot, starFileKey(t.name, ds))))]));

async function load(ds: string): Promise<{ result: LoadStarResult; said: string[] }> {
  const run = await runOperator<LoadStarResult>(loadStarOperator, {}, { home, dsLocal: ds, dagId: 'openaq' });
  return { result: run.result, said: run.logs.map((l) => l.msg) };
}

/** Runs SQL on the warehouse with DuckDB itself, as a user's DuckDB shell would; returns the rows of the last one. */
async function duckdb(...sqls: string[]): Promise<unknown[][]> {
  const db = await DuckDBInstance.create(file);
  const conn = await db.connect();
  try {
    let rows: unknown[][] = [];
    for (const sql of sqls) rows = (await conn.runAndReadAll(sql)).getRows() as unknown[][];
    return rows;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

const everything = () =>
  duckdb(`SELECT 'f', count(*), sum(value), min(period_start_utc)::VARCHAR FROM fact_measurement UNION ALL SELECT 'l', count(*), NULL, max(name) FROM dim_location UNION ALL SELECT 's', count(*), sum(mean), NULL FROM daily_air_quality ORDER BY 1`);
const leftAsItIs = (said: string[]) => said.some((m) => /^2024-04-20 is in .* as loaded from these star files, and nothing has written the warehouse since: left as it is$/.test(m));

beforeAll(async () => {
  await day('2024-04-20', 'PARIS 1er', (i) => i);
  await load('2024-04-20');
});

describe('warehouse.load_star run again', () => {
  it('with the same star files and an untouched warehouse: leaves it as it is, with the result of a full load', async () => {
    const before = await everything();
    const first = await load('2024-04-20'); // the first load wrote the record; this one may find nothing to do
    const again = await load('2024-04-20');
    expect(leftAsItIs(again.said)).toBe(true);
    expect(again.result).toEqual(first.result);
    expect(again.result).toMatchObject({ loaded: { fact_measurement: 48, dim_location: 1 }, replaced_fact_rows: 48, tables: { fact_measurement: 48 } });
    expect(await everything()).toEqual(before);
  });

  it('after a change made with DuckDB itself: loads in full, putting the day back as its files say', async () => {
    const before = await everything();
    await duckdb(`DELETE FROM fact_measurement WHERE hour_local = 3`, `UPDATE daily_air_quality SET mean = 0`);
    expect(await everything()).not.toEqual(before);
    const r = await load('2024-04-20');
    expect(leftAsItIs(r.said)).toBe(false);
    expect(r.result.replaced_fact_rows).toBe(46);
    expect(await everything()).toEqual(before);
  });

  it('after another day was loaded: loads in full (the dimensions upserted back to this day\'s rows)', async () => {
    await day('2024-04-21', 'PARIS 1er Les Halles', (i) => 100 + i);
    await load('2024-04-21');
    expect(await duckdb(`SELECT name FROM dim_location`)).toEqual([['PARIS 1er Les Halles']]);
    const r = await load('2024-04-20');
    expect(leftAsItIs(r.said)).toBe(false);
    expect(await duckdb(`SELECT name FROM dim_location`)).toEqual([['PARIS 1er']]);
  });

  it('with star files rebuilt differently: loads in full', async () => {
    expect(leftAsItIs((await load('2024-04-20')).said)).toBe(true);
    await day('2024-04-20', 'PARIS 1er', (i) => i * 2);
    const r = await load('2024-04-20');
    expect(leftAsItIs(r.said)).toBe(false);
    expect(await duckdb(`SELECT sum(value) FROM fact_measurement WHERE ds = DATE '2024-04-20'`)).toEqual([[2 * 2 * (23 * 24) / 2]]);
  });

  it('when the warehouse file was replaced by a copy of itself: loads in full', async () => {
    expect(leftAsItIs((await load('2024-04-20')).said)).toBe(true);
    fs.copyFileSync(file, `${file}.copy`);
    fs.renameSync(`${file}.copy`, file);
    expect(leftAsItIs((await load('2024-04-20')).said)).toBe(false);
  });

  it('after the same pages were fetched again in another order: the transform writes the same star files, left as it is', async () => {
    expect(leftAsItIs((await load('2024-04-20')).said)).toBe(true);
    const before = starFiles(path.join(home, 'lake'), '2024-04-20');
    // pm25's page fetched before no2's this time, as when another extract's requests finish in another order
    await day('2024-04-20', 'PARIS 1er', (i) => i * 2, (id) => (id === pm25.id ? '2024-04-21T10:00:00Z' : '2024-04-21T10:00:01Z'));
    expect(starFiles(path.join(home, 'lake'), '2024-04-20')).toEqual(before);
    expect(leftAsItIs((await load('2024-04-20')).said)).toBe(true);
  });
});

describe('dag run openaq twice on the simulator', { timeout: 300_000 }, () => {
  const DS = '2024-04-20';

  /** The paths of the day's sensor_hours pages in the lake's raw manifest, in fetch order. */
  function fetchOrder(ws: Workspace): string[] {
    const m = JSON.parse(fs.readFileSync(path.join(ws.home, 'lake', 'raw', 'openaq', `ds=${DS}`, '_manifest.json'), 'utf8')) as { pages: { endpoint: string; path: string; fetched_at: string }[] };
    return m.pages.filter((p) => p.endpoint === 'sensor_hours').sort((a, b) => Date.parse(a.fetched_at) - Date.parse(b.fetched_at)).map((p) => p.path);
  }

  /** What the last attempt of load_star logged. */
  function lastLoadLog(ws: Workspace): string {
    const dir = (fs.readdirSync(path.join(ws.home, 'logs'), { recursive: true }) as string[]).find((f) => path.basename(f) === 'task_id=load_star')!;
    const attempts = fs.readdirSync(path.join(ws.home, 'logs', dir)).sort((a, b) => Number(/\d+/.exec(a)) - Number(/\d+/.exec(b)));
    return fs.readFileSync(path.join(ws.home, 'logs', dir, attempts.at(-1)!), 'utf8');
  }

  it('the second run fetches in another order, writes the same star files and leaves the warehouse as it is', async () => {
    const sim = await startSimulator();
    try {
      const env = { OPENAQ_BASE_URL: sim.url, OPENAQ_RATE_LIMIT_PER_MINUTE: '0', OPENAQ_RATE_LIMIT_PER_HOUR: '0', OPENAQ_RETRY_BASE_MS: '100', OPENAQ_RETRY_MAX_MS: '400' };
      // The first run fetches one sensor at a time; the second four at once, some answered 5xx and retried later.
      const first = workspace({ 'openaq.yaml': fs.readFileSync(path.join(ROOT, 'dags/openaq.yaml'), 'utf8') }, { ...env, OPENAQ_CONCURRENCY: '1' });
      const second: Workspace = { ...first, env: { ...first.env, OPENAQ_CONCURRENCY: '4' } };
      await runOpenaq(first, DS, { inProcess: true });
      const order = fetchOrder(first);
      const star = starFiles(path.join(first.home, 'lake'), DS);
      const warehouse = sha256(fs.readFileSync(path.join(first.home, 'warehouse.duckdb')));

      sim.setFaults({ rate5xx: 0.3, seed: 12 });
      await runOpenaq(second, DS, { inProcess: true });
      expect(sim.stats().faults).toBeGreaterThan(0);
      expect(fetchOrder(second)).not.toEqual(order);
      expect([...fetchOrder(second)].sort()).toEqual([...order].sort());
      expect(starFiles(path.join(first.home, 'lake'), DS)).toEqual(star);
      expect(lastLoadLog(second)).toContain('nothing has written the warehouse since: left as it is');
      expect(sha256(fs.readFileSync(path.join(first.home, 'warehouse.duckdb')))).toBe(warehouse);
    } finally {
      await sim.close();
    }
  });
});
