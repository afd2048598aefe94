// star.transform against the output it is known to write on one raw partition: tests/fixtures/star-equivalence/ holds
// the spec and the five Parquet files written by the byte-level scanner (the implementation a DuckDB SQL rewrite was
// measured against, and must match if it ever replaces it). The day is
// 2024-10-27, when Europe/Paris falls back (25 hours), with sentinels, nulls, duplicates across pages and every reject
// reason. Files are compared with DuckDB: the Parquet schema (names, physical and logical types, repetition, order),
// the rows both ways with EXCEPT ALL, and the row order.
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileLake } from '../../../tasks/lake/file-lake.js';
import { starFileKey, STAR_TABLES } from '../../../tasks/star/schema.js';
import { runTransform, transformOperator, type TransformResult } from '../../../tasks/star/transform.js';
import { buildContext, runOperator } from '../../support/operator-harness.js';
import { FIXTURES } from '../../support/paths.js';
import { writeRawPartition, type RawSpec } from '../../support/raw-partition.js';
import { tempDir } from '../../support/tmp.js';

const DIR = path.join(FIXTURES, 'star-equivalence');
const spec = JSON.parse(fs.readFileSync(path.join(DIR, 'spec.json'), 'utf8')) as RawSpec;
const before = JSON.parse(fs.readFileSync(path.join(DIR, 'result.json'), 'utf8')) as TransformResult;

let home: string;
let lake: FileLake;
let result: TransformResult;
let db: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  home = tempDir('windsock-equivalence-');
  lake = new FileLake(path.join(home, 'lake'));
  await writeRawPartition(lake, spec);
  result = (await runOperator<TransformResult>(transformOperator, {}, { home, dsLocal: spec.ds, dagId: 'openaq' })).result;
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
  await conn.run(`SET TimeZone = 'UTC'`);
});

afterAll(() => {
  conn?.closeSync();
  db?.closeSync();
});

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const rows = async (sql: string) => (await conn.runAndReadAll(sql)).getRowsJS();
const oldFile = (table: string) => path.join(DIR, `${table}.parquet`);
const newFile = (table: string) => lake.pathOf(starFileKey(table as never, spec.ds));

describe('star.transform against its recorded output', () => {
  it('accounts for the rows as before', () => {
    expect({ ...result, lake: '' }).toEqual({ ...before, lake: '' });
    expect(result.rejected).toEqual({ bad_timestamp: 2, outside_interval: 2, unknown_sensor: 3, parameter_mismatch: 1, duplicate: 12 });
  });

  it.each(STAR_TABLES.map((t) => t.name))('writes %s with the same Parquet schema', async (table) => {
    const schema = (file: string) => rows(`SELECT name, type, repetition_type, converted_type, logical_type FROM parquet_schema(${q(file)})`);
    const old = await schema(oldFile(table));
    expect(old.length).toBeGreaterThan(2);
    expect(await schema(newFile(table))).toEqual(old);
  });

  it.each(STAR_TABLES.map((t) => t.name))('writes the same rows of %s, in the same order', async (table) => {
    const diff = (a: string, b: string) => rows(`SELECT count(*) FROM (FROM read_parquet(${q(a)}, hive_partitioning = false) EXCEPT ALL FROM read_parquet(${q(b)}, hive_partitioning = false))`);
    expect(await diff(oldFile(table), newFile(table))).toEqual([[0n]]);
    expect(await diff(newFile(table), oldFile(table))).toEqual([[0n]]);
    const all = (file: string) => rows(`FROM read_parquet(${q(file)}, hive_partitioning = false)`);
    const old = await all(oldFile(table));
    expect(old.length).toBeGreaterThan(0);
    expect(await all(newFile(table))).toEqual(old);
  });

  // A day this small is scanned on the calling thread; a large partition's pages go to worker threads: the same
  // partition through them writes the same files.
  it('writes the same rows through the worker threads a large partition uses', async () => {
    const home2 = tempDir('windsock-equivalence-workers-');
    const lake2 = new FileLake(path.join(home2, 'lake'));
    await writeRawPartition(lake2, spec);
    const { ctx } = buildContext({ home: home2, dsLocal: spec.ds, dagId: 'openaq' });
    const viaWorkers = await runTransform(ctx, lake2, { parallelScanMinRows: 0 });
    expect({ ...viaWorkers, lake: '' }).toEqual({ ...before, lake: '' });
    for (const table of STAR_TABLES.map((t) => t.name)) {
      const all = (file: string) => rows(`FROM read_parquet(${q(file)}, hive_partitioning = false)`);
      expect(await all(lake2.pathOf(starFileKey(table, spec.ds))), table).toEqual(await all(oldFile(table)));
    }
  });

  it('takes the 25 local hours of the day Paris falls back, twice 02:00', async () => {
    const hours = await rows(`SELECT hour_local, date_key FROM read_parquet(${q(newFile('fact_measurement'))}, hive_partitioning = false) WHERE sensor_id = 21 ORDER BY period_end_utc`);
    expect(hours.map((r) => r[0])).toEqual([0, 1, 2, 2, ...Array.from({ length: 21 }, (_, i) => i + 3)]);
    expect(new Set(hours.map((r) => r[1]))).toEqual(new Set([20241027]));
  });
});
