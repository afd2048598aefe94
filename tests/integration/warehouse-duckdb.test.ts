// warehouse.load_star into the default DuckDB warehouse, from star files made by the real star.transform in a file
// lake; the warehouse read back with Warehouse.query and with the `dag warehouse query` CLI (once as a real `dag`
// process, then through the same command tree in this process: tests/support/in-process-cli.ts).
import fs from 'node:fs';
import path from 'node:path';
import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileLake } from '../../tasks/lake/file-lake.js';
import { transformOperator } from '../../tasks/star/transform.js';
import { loadStarOperator } from '../../tasks/warehouse/load-star.js';
import { openWarehouse } from '../../tasks/warehouse/open-warehouse.js';
import { writeResult } from '../../tasks/warehouse/result-format.js';
import type { LoadStarResult } from '../../tasks/warehouse/warehouse.js';
import { STAR_FILE } from '../../tasks/star/schema.js';
import { dag, workspace } from '../support/cli.js';
import { dagInProcess } from '../support/in-process-cli.js';
import { runOperator, settleOperator } from '../support/operator-harness.js';
import { hoursOf, localDay, writeRawPartition, type SpecLocation } from '../support/raw-partition.js';
import { saveEnv } from '../support/env.js';

const ws = workspace();
const home = ws.home;
const lake = new FileLake(path.join(home, 'lake'));
const TABLES = ['dim_location', 'dim_parameter', 'dim_sensor', 'dim_date', 'fact_measurement'] as const;
const ORDER: Record<string, string> = {
  dim_location: 'location_id',
  dim_parameter: 'parameter_id',
  dim_sensor: 'sensor_id',
  dim_date: 'date_key',
  fact_measurement: 'sensor_id, period_end_utc',
};

// The warehouse and lake come from the defaults under `home`, whatever the shell set; put back for the files that
// share this process (vitest.config.js), such as a WINDSOCK_UI_SCREENSHOTS the browser files read.
const restoreEnv = saveEnv();
for (const k of Object.keys(process.env)) if (k.startsWith('WINDSOCK_')) delete process.env[k];
afterAll(restoreEnv);

const station = (name: string, sensors: SpecLocation['sensors']): SpecLocation => ({ id: 4018, name, sensors });

async function day(ds: string, loc: SpecLocation, value: (i: number) => number | null): Promise<void> {
  const d = localDay(ds);
  await writeRawPartition(lake, { ds, locations: [loc], pages: loc.sensors.map((s) => ({ sensorId: s.id, rows: hoursOf(d, value) })) });
  await runOperator(transformOperator, {}, { home, dsLocal: ds, dagId: 'openaq' });
}

const load = async (ds: string) => (await runOperator<LoadStarResult>(loadStarOperator, {}, { home, dsLocal: ds, dagId: 'openaq' })).result;

/** Every row of a table in a stable order, as JSON text per row. */
async function snapshot(table: string, where = ''): Promise<string[]> {
  const wh = await openWarehouse(undefined, { home, readOnly: true });
  let out = '';
  await writeResult(wh.query(`SELECT * FROM ${table} ${where} ORDER BY ${ORDER[table]}`), 'json', (s) => (out += s));
  return (JSON.parse(out) as unknown[]).map((r) => JSON.stringify(r));
}

async function one(sql: string): Promise<Record<string, unknown>[]> {
  const wh = await openWarehouse(undefined, { home, readOnly: true });
  let out = '';
  await writeResult(wh.query(sql), 'json', (s) => (out += s));
  return JSON.parse(out);
}

const no2 = { id: 40185, parameterId: 5 };
const pm25 = { id: 40182, parameterId: 2 };

beforeAll(async () => {
  await day('2024-04-20', station('PARIS 1er', [no2, pm25]), (i) => (i === 5 ? -999 : i));
});

describe('warehouse.load_star into DuckDB', () => {
  it('creates the tables and loads the day', async () => {
    const r = await load('2024-04-20');
    expect(r).toMatchObject({
      ds: '2024-04-20',
      warehouse: `duckdb://${path.join(home, 'warehouse.duckdb')}`,
      loaded: { fact_measurement: 48, dim_location: 1, dim_sensor: 2, dim_parameter: 2, dim_date: 1 },
      replaced_fact_rows: 0,
      tables: { fact_measurement: 48, dim_location: 1, dim_sensor: 2, dim_parameter: 2, dim_date: 1 },
    });
    expect(fs.existsSync(path.join(home, 'warehouse.duckdb'))).toBe(true);
    const cols = await one(`SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_name = 'fact_measurement' ORDER BY ordinal_position`);
    expect(cols.map((c) => `${c.column_name} ${c.data_type}`)).toEqual([
      'ds DATE',
      'sensor_id BIGINT',
      'location_id BIGINT',
      'parameter_id INTEGER',
      'date_key INTEGER',
      'hour_local INTEGER',
      'period_start_utc TIMESTAMP',
      'period_end_utc TIMESTAMP',
      'value DOUBLE',
      'is_valid BOOLEAN',
      'coverage_percent DOUBLE',
    ]);
    const keys = await one(`SELECT table_name, constraint_column_names AS cols FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' ORDER BY table_name`);
    expect(keys).toEqual([
      { table_name: 'dim_date', cols: "['date_key']" },
      { table_name: 'dim_location', cols: "['location_id']" },
      { table_name: 'dim_parameter', cols: "['parameter_id']" },
      { table_name: 'dim_sensor', cols: "['sensor_id']" },
    ]);
    expect(await one(`SELECT hour_local, value, is_valid, period_start_utc FROM fact_measurement WHERE sensor_id = 40185 AND hour_local IN (0, 5) ORDER BY 1`)).toEqual([
      { hour_local: 0, value: 0, is_valid: true, period_start_utc: '2024-04-19 22:00:00' },
      { hour_local: 5, value: -999, is_valid: false, period_start_utc: '2024-04-20 03:00:00' },
    ]);
  });

  it('running the same day again leaves every table identical', async () => {
    const before = await Promise.all(TABLES.map((t) => snapshot(t)));
    await day('2024-04-20', station('PARIS 1er', [no2, pm25]), (i) => (i === 5 ? -999 : i));
    const r = await load('2024-04-20');
    expect(r.replaced_fact_rows).toBe(48);
    expect(await Promise.all(TABLES.map((t) => snapshot(t)))).toEqual(before);
  });

  it('a second day adds its rows, upserts the dimensions and leaves the first day alone', async () => {
    const firstDay = await snapshot('fact_measurement', `WHERE ds = DATE '2024-04-20'`);
    const o3 = { id: 40183, parameterId: 3 };
    await day('2024-04-21', station('PARIS 1er Les Halles', [no2, pm25, o3]), (i) => 100 + i);
    const r = await load('2024-04-21');
    expect(r.loaded.fact_measurement).toBe(72);
    expect(r.replaced_fact_rows).toBe(0);
    expect(r.tables).toMatchObject({ fact_measurement: 48 + 72, dim_location: 1, dim_sensor: 3, dim_parameter: 3, dim_date: 2 });
    expect(await snapshot('fact_measurement', `WHERE ds = DATE '2024-04-20'`)).toEqual(firstDay);
    expect(await one(`SELECT location_id, name FROM dim_location`)).toEqual([{ location_id: 4018, name: 'PARIS 1er Les Halles' }]);
    expect(await one(`SELECT date_key, day_of_week, is_weekend FROM dim_date ORDER BY 1`)).toEqual([
      { date_key: 20240420, day_of_week: 6, is_weekend: true },
      { date_key: 20240421, day_of_week: 7, is_weekend: true },
    ]);
    expect(await one(`SELECT ds, count(*) AS n FROM fact_measurement GROUP BY ds ORDER BY ds`)).toEqual([
      { ds: '2024-04-20', n: 48 },
      { ds: '2024-04-21', n: 72 },
    ]);
  });

  it('fails naming the star partition to build when the transform has not run', async () => {
    const run = await settleOperator(loadStarOperator, {}, { home, dsLocal: '2024-05-01', dagId: 'openaq' });
    expect(run.error?.name).toBe('FailTask');
    expect(run.error?.message).toBe(`no star partition star/dim_location/ds=2024-05-01/ in ${lake.uri}: run the transform task for 2024-05-01 first (dag run openaq --date 2024-05-01)`);
  });

  it('fails naming the file when a star Parquet file is cut short, and leaves the loaded days as they were', async () => {
    await day('2024-04-22', station('PARIS 1er', [no2, pm25]), (i) => i + 1);
    const before = await snapshot('fact_measurement');
    const file = path.join(home, 'lake', 'star', 'fact_measurement', 'ds=2024-04-22', STAR_FILE);
    const bytes = fs.readFileSync(file);
    const damaged = Buffer.concat([bytes.subarray(0, 100), Buffer.from('not parquet any more'), bytes.subarray(bytes.length - 8)]);
    fs.writeFileSync(file, damaged);
    const run = await settleOperator(loadStarOperator, {}, { home, dsLocal: '2024-04-22', dagId: 'openaq', taskId: 'load_star' });
    expect(run.error?.name).toBe('FailTask');
    expect(run.error?.message).toBe(
      `star file ${lake.uri}/star/fact_measurement/ds=2024-04-22/part-0.parquet does not match its manifest (${damaged.length} bytes, the manifest says ${bytes.length}): ` +
        `the partition is damaged; run the transform for 2024-04-22 again (dag tasks clear openaq -t 'transform|load_star' -s 2024-04-22 -e 2024-04-22 -y, then dag run openaq --date 2024-04-22)`,
    );
    expect(await snapshot('fact_measurement')).toEqual(before);
  });

  it('refuses every single-bit flip in a star file before writing anything, naming the file', async () => {
    await day('2024-04-23', station('PARIS 1er Les Halles', [no2, pm25]), (i) => 9.91 + i);
    const before = await Promise.all(TABLES.map((t) => snapshot(t)));
    const file = path.join(home, 'lake', 'star', 'fact_measurement', 'ds=2024-04-23', STAR_FILE);
    const good = fs.readFileSync(file);
    // ten offsets spread over the file, the data pages included: a flip there loads a wrong value if unchecked
    for (let k = 0; k < 10; k++) {
      const flipped = Buffer.from(good);
      const at = Math.floor(((k + 0.5) * good.length) / 10);
      flipped[at]! ^= 1 << k % 8;
      fs.writeFileSync(file, flipped);
      const run = await settleOperator(loadStarOperator, {}, { home, dsLocal: '2024-04-23', dagId: 'openaq', taskId: 'load_star' });
      expect(run.error?.message, `bit flipped at ${at}`).toMatch(/^star file .*\/star\/fact_measurement\/ds=2024-04-23\/part-0\.parquet does not match its manifest \(sha256 [0-9a-f]{12}\.\.\., the manifest says [0-9a-f]{12}\.\.\.\): the partition is damaged; run the transform for 2024-04-23 again/);
    }
    expect(await Promise.all(TABLES.map((t) => snapshot(t)))).toEqual(before);
    fs.writeFileSync(file, good);
    expect((await load('2024-04-23')).loaded.fact_measurement).toBe(48);
  });

  it('refuses a star partition without a manifest, or whose tables come from two transforms', async () => {
    await day('2024-04-24', station('PARIS 1er Les Halles', [no2, pm25]), (i) => i);
    const manifest = path.join(home, 'lake', 'star', 'dim_sensor', 'ds=2024-04-24', '_manifest.json');
    const text = fs.readFileSync(manifest, 'utf8');
    fs.rmSync(manifest);
    const fail = async () => (await settleOperator(loadStarOperator, {}, { home, dsLocal: '2024-04-24', dagId: 'openaq', taskId: 'load_star' })).error?.message;
    expect(await fail()).toMatch(/^star partition .*\/star\/dim_sensor\/ds=2024-04-24\/ has no _manifest\.json \(written by an older windsock, or damaged\): run the transform for 2024-04-24 again/);
    fs.writeFileSync(manifest, text.replace(/"batch": "[^"]*"/, '"batch": "another transform"'));
    expect(await fail()).toMatch(/^the star partitions of 2024-04-24 in .* come from different transforms \(dim_location of .*\): one was interrupted; run the transform for 2024-04-24 again/);
    fs.writeFileSync(manifest, text);
    expect((await load('2024-04-24')).loaded.fact_measurement).toBe(48);
  });

  it('streams query results as Arrow batches, and reports SQL errors on one line', async () => {
    const wh = await openWarehouse(undefined, { home, readOnly: true });
    const sizes: number[] = [];
    let schema: arrow.Schema | undefined;
    for await (const b of wh.query('SELECT range AS n, range::DOUBLE / 2 AS half, DATE \'2024-04-20\' + CAST(range % 3 AS INTEGER) AS d FROM range(40000)')) {
      sizes.push(b.numRows);
      schema ??= b.schema;
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(40_000);
    expect(sizes.length).toBeGreaterThan(1);
    expect(schema!.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['n:Int64', 'half:Float64', 'd:Date32<DAY>']);
    const empty: arrow.RecordBatch[] = [];
    for await (const b of wh.query('SELECT sensor_id FROM fact_measurement WHERE false')) empty.push(b);
    expect(empty.map((b) => [b.numRows, b.schema.fields[0]!.name])).toEqual([[0, 'sensor_id']]);
    await expect(async () => {
      for await (const _ of wh.query('SELECT * FROM nope')) void _;
    }).rejects.toThrow(/^Catalog Error: Table with name nope does not exist!$/);
  });

  it('`dag warehouse query` prints a table, JSON or CSV; a SQL error is one line and exit 2', async () => {
    const sql = 'SELECT p.name AS parameter, count(*) AS hours, max(value) AS max FROM fact_measurement f JOIN dim_parameter p USING (parameter_id) WHERE ds = DATE \'2024-04-21\' GROUP BY 1 ORDER BY 1';
    const table = await dag(ws, ['warehouse', 'query', sql]);
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    expect(table.stdout).toBe(['parameter  hours  max', '---------  -----  ---', 'no2           24  123', 'o3            24  123', 'pm25          24  123', '(3 rows)', ''].join('\n'));
    const json = await dagInProcess(ws, ['warehouse', 'query', sql, '-o', 'json']);
    expect(JSON.parse(json.stdout)).toEqual([
      { parameter: 'no2', hours: 24, max: 123 },
      { parameter: 'o3', hours: 24, max: 123 },
      { parameter: 'pm25', hours: 24, max: 123 },
    ]);
    const csv = await dagInProcess(ws, ['warehouse', 'query', `SELECT name, 'a,"b"' AS odd, NULL AS nothing FROM dim_location`, '-o', 'csv']);
    expect(csv.stdout).toBe('name,odd,nothing\r\nPARIS 1er Les Halles,"a,""b""",\r\n');
    const bad = await dagInProcess(ws, ['warehouse', 'query', 'SELEC 1']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toEqual(['error: Parser Error: syntax error at or near "SELEC"']);
    const format = await dagInProcess(ws, ['warehouse', 'query', 'SELECT 1', '-o', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('-o xml is not an output format: use table, json, csv');
  });
});
