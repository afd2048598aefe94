// fact_measurement from the raw /hours pages, computed by DuckDB (fact-sql.ts) in a private in-memory database:
// the pages read with read_json on every core, the rows judged and deduplicated in SQL, and the result handed back
// as typed arrays for the Parquet writer. Pages DuckDB flags (a null or missing field, another JSON type) or cannot
// read at all are checked in JS (hours-check.ts), so schema drift is reported with its file and field.
import fsp from 'node:fs/promises';
import type * as arrow from 'apache-arrow';
import type { DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api';
import { int64Of, typedColumn } from '../arrow-columns.js';
import { firstLine } from '../warehouse/duckdb-stream.js';
import { checkHoursPage, parsePage } from './hours-check.js';
import {
  CREATE_INPUTS,
  DIM_DATE_SQL,
  FACT_ROWS_SQL,
  factTableSql,
  insertRows,
  LOADED_KEYS_SQL,
  LOCAL_STARTS_SQL,
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
const MEMORY_LIMIT = '400MB';

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
      await conn.run(stageHoursSql(pages.map((p) => p.file), input.intervalStartMs, input.intervalEndMs));
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
    await conn.run(LOADED_KEYS_SQL);
    const counts = (await rows(conn, REJECTS_SQL))[0]!;
    const rejected = Object.fromEntries(REJECT_REASONS.map((r) => [r, Number(counts[r])])) as Record<RejectReason, number>;
    await conn.run(factTableSql(rejected.duplicate > 0));
    for (const table of ['hours', 'loaded_keys']) await conn.run(`DROP TABLE ${table}`);
    await conn.run(LOCAL_STARTS_SQL);
    const fact = await readFactColumns(conn, input.sensors);
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

async function readFactColumns(conn: DuckDBConnection, sensors: readonly SensorRow[]): Promise<{ length: number; columns: Record<string, arrow.Data> }> {
  const n = Number((await rows(conn, 'SELECT count(*) AS n FROM fact'))[0]!.n);
  const col = {
    sensor_id: new Float64Array(n),
    date_key: new Int32Array(n),
    hour_local: new Int32Array(n),
    period_start_utc: new Float64Array(n),
    period_end_utc: new Float64Array(n),
    value: new Float64Array(n),
    is_valid: new Uint8Array(n),
    coverage_percent: new Float64Array(n),
  };
  const valuePresent = new Uint8Array(n);
  const coveragePresent = new Uint8Array(n);
  const result = await conn.run(FACT_ROWS_SQL);
  let at = 0;
  for (;;) {
    const chunk: DuckDBDataChunk | null = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const count = chunk.rowCount;
    if (at + count > n) throw new Error(`fact: more rows than the ${n} counted`);
    // FACT_ROWS_SQL's columns, in its order (a null becomes 0: only value and coverage_percent can be null)
    Object.values(col).forEach((out, j) => out.set(chunk.getColumnVector(j).toArray() as ArrayLike<number>, at));
    for (const [name, present] of [['value', valuePresent], ['coverage_percent', coveragePresent]] as const) {
      const xs = chunk.getColumnVector(Object.keys(col).indexOf(name)).toArray();
      for (let k = 0; k < count; k++) if (xs[k] !== null) present[at + k] = 1;
    }
    at += count;
  }
  if (at !== n) throw new Error(`fact: ${at} rows read, ${n} counted`);
  // location and parameter follow from the sensor (a parameter_mismatch row was rejected)
  const bySensor = new Map(sensors.map((s) => [s.sensorId, s]));
  const locationId = new Float64Array(n);
  const parameterId = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = bySensor.get(col.sensor_id[i]!)!;
    locationId[i] = s.locationId;
    parameterId[i] = s.parameterId;
  }
  return {
    length: n,
    columns: {
      sensor_id: typedColumn('int64', int64Of(col.sensor_id)),
      location_id: typedColumn('int64', int64Of(locationId)),
      parameter_id: typedColumn('int32', parameterId),
      date_key: typedColumn('int32', col.date_key),
      hour_local: typedColumn('int32', col.hour_local),
      period_start_utc: typedColumn('timestamptz', int64Of(col.period_start_utc)),
      period_end_utc: typedColumn('timestamptz', int64Of(col.period_end_utc)),
      value: typedColumn('float64', col.value, valuePresent),
      is_valid: typedColumn('bool', col.is_valid),
      coverage_percent: typedColumn('float64', col.coverage_percent, coveragePresent),
    },
  };
}
