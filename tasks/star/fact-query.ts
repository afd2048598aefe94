// fact_measurement from the raw /hours pages, computed by DuckDB (fact-sql.ts) in a private in-memory database:
// the pages read with read_json on every core, the rows judged and deduplicated in SQL, and the result handed back
// as typed arrays for the Parquet writer. Pages DuckDB flags (a null or missing field, another JSON type) or cannot
// read at all are checked in JS (hours-check.ts), so schema drift is reported with its file and field.
import fsp from 'node:fs/promises';
import type * as arrow from 'apache-arrow';
import type { DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api';
import { typedColumn } from '../arrow-columns.js';
import { firstLine } from '../warehouse/duckdb-stream.js';
import { checkHoursPage, parsePage } from './hours-check.js';
import {
  CREATE_INPUTS,
  DIM_DATE_SQL,
  FACT_ROWS_SQL,
  FACT_TABLE_SQL,
  insertRows,
  judgedViewSql,
  PAGE_SUMMARY_SQL,
  pageValues,
  REJECT_REASONS,
  REJECTS_SQL,
  sensorValues,
  stageHoursSql,
  type RejectReason,
  type SensorRow,
} from './fact-sql.js';
import { RawPartitionError } from './raw-partition.js';

export interface HoursPage {
  /** A local file DuckDB reads (already checked against the manifest). */
  file: string;
  /** Where the page is, for messages (its lake URI). */
  where: string;
  sensorId: number;
  /** Entries the manifest says the page has. */
  rows: number;
}

export interface FactInput {
  /** In fetch order: later pages win over earlier ones for the same (sensor, period). */
  pages: readonly HoursPage[];
  sensors: readonly SensorRow[];
  intervalStartMs: number;
  intervalEndMs: number;
  /** Where DuckDB may spill when the rows do not fit in its memory limit. */
  tempDir: string;
  signal?: AbortSignal;
}

export interface FactResult {
  rowsIn: number;
  rejected: Record<RejectReason, number>;
  rowsOut: number;
  /** fact_measurement's columns but ds, by name. */
  columns: Record<string, arrow.Data>;
  /** dim_date's rows (date as days since the epoch). */
  dimDate: Record<string, number | boolean>[];
}

/** DuckDB's memory for the day's rows (it spills to tempDir beyond): keeps the transform well under 500 MB. */
const MEMORY_LIMIT = '256MB';

export async function queryFact(input: FactInput): Promise<FactResult> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  await fsp.mkdir(input.tempDir, { recursive: true });
  const db = await DuckDBInstance.create(':memory:', { memory_limit: MEMORY_LIMIT, temp_directory: input.tempDir, preserve_insertion_order: 'false' });
  const conn = await db.connect();
  const stop = () => conn.interrupt();
  input.signal?.addEventListener('abort', stop, { once: true });
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    for (const sql of CREATE_INPUTS) await conn.run(sql);
    const pages = input.pages.map((p, rank) => ({ ...p, rank }));
    for (const sql of insertRows('pages', pages, pageValues)) await conn.run(sql);
    for (const sql of insertRows('sensors', input.sensors, sensorValues)) await conn.run(sql);
    try {
      await conn.run(stageHoursSql(pages.map((p) => p.file)));
    } catch (err) {
      if (input.signal?.aborted) throw err;
      // Not JSON, or a field of a shape DuckDB cannot read as asked: say which page and field, in fetch order.
      for (const p of pages) await checkPage(p);
      throw new RawPartitionError(`the raw pages could not be read (${firstLine((err as Error).message)}); they match their manifest, so the OpenAQ response shape changed: star.transform must be updated to read it`);
    }
    for (const row of await rows(conn, PAGE_SUMMARY_SQL)) {
      const p = pages[Number(row.rank)]!;
      const entries = Number(row.entries);
      if (row.suspect || entries !== p.rows) await checkPage(p);
      if (entries !== p.rows) throw new RawPartitionError(`raw page ${p.where} has ${entries} results, the manifest says ${p.rows}: the partition is damaged`);
    }
    await conn.run(judgedViewSql(input.intervalStartMs, input.intervalEndMs));
    const counts = (await rows(conn, REJECTS_SQL))[0]!;
    const rejected = Object.fromEntries(REJECT_REASONS.map((r) => [r, Number(counts[r])])) as Record<RejectReason, number>;
    await conn.run(FACT_TABLE_SQL);
    await conn.run('DROP VIEW judged');
    await conn.run('DROP TABLE hours');
    const fact = await readFactColumns(conn);
    const dimDate = (await rows(conn, DIM_DATE_SQL)) as Record<string, number | boolean>[];
    return { rowsIn: Number(counts.rows_in), rejected, rowsOut: fact.length, columns: fact.columns, dimDate };
  } finally {
    input.signal?.removeEventListener('abort', stop);
    conn.closeSync();
    db.closeSync();
  }
}

/** Throws the page's syntax error or schema drift, if it has one. */
async function checkPage(p: HoursPage): Promise<void> {
  checkHoursPage(parsePage(await fsp.readFile(p.file), p.where), p.where);
}

async function rows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjects() as Record<string, unknown>[];
}

/** Typed storage of each column of FACT_ROWS_SQL, in its order; `present` for the nullable ones. */
const FACT_COLUMNS = [
  { name: 'sensor_id', kind: 'int64' },
  { name: 'location_id', kind: 'int64' },
  { name: 'parameter_id', kind: 'int32' },
  { name: 'date_key', kind: 'int32' },
  { name: 'hour_local', kind: 'int32' },
  { name: 'period_start_utc', kind: 'timestamptz' },
  { name: 'period_end_utc', kind: 'timestamptz' },
  { name: 'value', kind: 'float64', nullable: true },
  { name: 'is_valid', kind: 'bool' },
  { name: 'coverage_percent', kind: 'float64', nullable: true },
] as const;

type Storage = Int32Array | BigInt64Array | Float64Array | Uint8Array;

function storage(kind: (typeof FACT_COLUMNS)[number]['kind'], n: number): Storage {
  switch (kind) {
    case 'int64':
    case 'timestamptz':
      return new BigInt64Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'bool':
      return new Uint8Array(n);
  }
}

async function readFactColumns(conn: DuckDBConnection): Promise<{ length: number; columns: Record<string, arrow.Data> }> {
  const n = Number((await rows(conn, 'SELECT count(*) AS n FROM fact'))[0]!.n);
  const data = FACT_COLUMNS.map((c) => storage(c.kind, n));
  const present = FACT_COLUMNS.map((c) => ('nullable' in c ? new Uint8Array(n) : undefined));
  const result = await conn.stream(FACT_ROWS_SQL);
  let at = 0;
  for (;;) {
    const chunk: DuckDBDataChunk | null = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const count = chunk.rowCount;
    if (at + count > n) throw new Error(`fact: more rows than the ${n} counted`);
    FACT_COLUMNS.forEach((c, j) => {
      const vector = chunk.getColumnVector(j);
      const out = data[j]!;
      const seen = present[j];
      for (let k = 0; k < count; k++) {
        const v = vector.getItem(k);
        if (v === null) continue; // only the nullable columns: the others are NOT NULL by construction
        if (seen) seen[at + k] = 1;
        (out as unknown as unknown[])[at + k] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
      }
    });
    at += count;
  }
  if (at !== n) throw new Error(`fact: ${at} rows read, ${n} counted`);
  const columns: Record<string, arrow.Data> = {};
  FACT_COLUMNS.forEach((c, j) => (columns[c.name] = typedColumn(c.kind, data[j]!, present[j])));
  return { length: n, columns };
}
