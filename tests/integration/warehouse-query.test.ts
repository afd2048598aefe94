// `dag warehouse query` only reads: against a real DuckDB warehouse, every way SQL can write a file, reach another
// file, load code or change the database is refused on one line (exit 2), and nothing changes. The first query of each
// kind runs in a real `dag` process; the others through the same command tree in this process (in-process-cli.ts),
// which spares a Node start-up and a DuckDB load per query.
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { dag, workspace, type CliResult } from '../support/cli.js';
import { dagInProcess } from '../support/in-process-cli.js';

const ws = workspace();
const outside = path.join(path.dirname(ws.home), 'outside');
const secret = path.join(outside, 'secret.csv');

beforeAll(async () => {
  fs.mkdirSync(ws.home, { recursive: true });
  fs.mkdirSync(outside, { recursive: true });
  fs.writeFileSync(secret, 'user,password\nana,hunter2\n');
  const db = await DuckDBInstance.create(path.join(ws.home, 'warehouse.duckdb'));
  const conn = await db.connect();
  await conn.run('CREATE TABLE dim_location AS SELECT * FROM (VALUES (4018, \'Paris Centre\'), (4019, \'Vitry\')) t(location_id, name)');
  conn.closeSync();
  db.closeSync();
});

const query = (sql: string, ...more: string[]) => dag(ws, ['warehouse', 'query', sql, ...more]);
const queryIn = (sql: string, ...more: string[]) => dagInProcess(ws, ['warehouse', 'query', sql, ...more]);

/** The first in a real process, the others in this one. */
async function queries(sqls: string[]): Promise<CliResult[]> {
  const out: CliResult[] = [];
  for (const [i, q] of sqls.entries()) out.push(await (i === 0 ? query(q) : queryIn(q)));
  return out;
}

function refused(r: CliResult, sql: string, pattern: RegExp): void {
  expect(r.code, `${sql}: ${r.stderr}${r.stdout}`).toBe(2);
  // Queries run four at a time here, so one may first say that it waits for another's warehouse lock: not an error line.
  const lines = r.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('waiting for the warehouse '));
  expect(lines, sql).toHaveLength(1);
  expect(lines[0], sql).toMatch(/^error: /);
  expect(r.stderr, sql).toMatch(pattern);
  expect(r.stdout, sql).toBe('');
}

const SLOW = 300_000;

describe('dag warehouse query', () => {
  it('answers a SELECT', async () => {
    const r = await query('SELECT location_id, name FROM dim_location ORDER BY location_id', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ location_id: 4018, name: 'Paris Centre' }, { location_id: 4019, name: 'Vitry' }]);
  }, SLOW);

  it('refuses an empty query with one clear line, not "Error in native callback"', async () => {
    const sqls = ['', '   ', ' ; ;', '\n-- only a comment', '/* nothing */'];
    const results = await queries(sqls);
    sqls.forEach((sql, i) => refused(results[i]!, JSON.stringify(sql), /the query holds no SQL statement: pass one, e\.g\. "SELECT count\(\*\) FROM fact_measurement"/));
  }, SLOW);

  it('refuses every write to a file, inside or outside WINDSOCK_HOME, and writes none', async () => {
    const sqls = [
      `COPY (SELECT 1) TO '${outside}/x.csv'`,
      `COPY dim_location TO '${ws.home}/inside.parquet' (FORMAT parquet)`,
      `EXPORT DATABASE '${outside}/export'`,
      `SELECT 1; COPY (SELECT 1) TO '${outside}/second.csv'`,
    ];
    const results = await queries(sqls);
    sqls.forEach((sql, i) => refused(results[i]!, sql, /Permission Error: Cannot access (file|directory) .* file system operations are disabled by configuration/));
    expect(fs.readdirSync(outside)).toEqual(['secret.csv']);
    expect(fs.existsSync(path.join(ws.home, 'inside.parquet'))).toBe(false);
  }, SLOW);

  it('refuses reading any other file, attaching a database, and installing or loading extensions', async () => {
    const sqls = [
      `SELECT * FROM read_csv('${secret}')`,
      `SELECT * FROM '${secret}'`,
      `SELECT content FROM read_text('${secret}')`,
      `ATTACH '${outside}/other.duckdb' AS other`,
      'INSTALL httpfs',
      'LOAD httpfs',
      `LOAD '${outside}/evil.duckdb_extension'`,
    ];
    const results = await queries(sqls);
    sqls.forEach((sql, i) => {
      refused(results[i]!, sql, /(Permission Error|Catalog Error|Invalid Input Error|IO Error)/);
      expect(results[i]!.stderr).not.toMatch(/hunter2/);
    });
    expect(fs.readdirSync(outside)).toEqual(['secret.csv']);
  }, SLOW);

  it('refuses changing the database or its settings, and the data stays as it was', async () => {
    const sqls = [
      'CREATE TABLE t (a INTEGER)',
      "INSERT INTO dim_location VALUES (1, 'x')",
      'DELETE FROM dim_location',
      'DROP TABLE dim_location',
      'SET enable_external_access = true',
      'SET lock_configuration = false',
      "PRAGMA enable_profiling = 'json'",
    ];
    const results = await queries(sqls);
    sqls.forEach((sql, i) => refused(results[i]!, sql, /read-only mode|the configuration has been locked|Cannot change configuration/));
    const after = await queryIn('SELECT count(*) AS n FROM dim_location', '-o', 'json');
    expect(JSON.parse(after.stdout)).toEqual([{ n: 2 }]);
  }, SLOW);
});
