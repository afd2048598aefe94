// warehouse.load_star run again on a day already loaded into DuckDB: with the same star files and a warehouse nothing
// wrote since, it leaves the warehouse as it is (and says so); after any other write (another day's load, a change
// made with DuckDB itself) it loads in full, so the day ends exactly as its star files say.
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { FileLake } from '../../tasks/lake/file-lake.js';
import { transformOperator } from '../../tasks/star/transform.js';
import { loadStarOperator } from '../../tasks/warehouse/load-star.js';
import type { LoadStarResult } from '../../tasks/warehouse/warehouse.js';
import { runOperator } from '../support/operator-harness.js';
import { hoursOf, localDay, writeRawPartition, type SpecLocation } from '../support/raw-partition.js';
import { tempDir } from '../support/tmp.js';

const home = path.join(tempDir(), 'home');
const file = path.join(home, 'warehouse.duckdb');
const lake = new FileLake(path.join(home, 'lake'));

for (const k of Object.keys(process.env)) if (k.startsWith('WINDSOCK_')) delete process.env[k];

const no2 = { id: 40185, parameterId: 5 };
const pm25 = { id: 40182, parameterId: 2 };

async function day(ds: string, name: string, value: (i: number) => number | null): Promise<void> {
  const loc: SpecLocation = { id: 4018, name, sensors: [no2, pm25] };
  await writeRawPartition(lake, { ds, locations: [loc], pages: loc.sensors.map((s) => ({ sensorId: s.id, rows: hoursOf(localDay(ds), value) })) });
  await runOperator(transformOperator, {}, { home, dsLocal: ds, dagId: 'openaq' });
}

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
});
