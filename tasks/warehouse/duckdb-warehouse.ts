// The DuckDB warehouse (WINDSOCK_WAREHOUSE=duckdb:///path, default $WINDSOCK_HOME/warehouse.duckdb). DuckDB locks
// its file per process, so every use opens, works and closes, under a lock file that also keeps worker threads of one
// process apart (file-lock.ts). A load is one transaction: tables created if missing, dimensions upserted, the fact
// partition of ds deleted and inserted straight from the Parquet files. Loading the same files again into a warehouse
// nothing has written since does nothing (duckdb-load-record.ts).
import fs from 'node:fs';
import path from 'node:path';
import type * as arrow from 'apache-arrow';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Lake } from '../lake/lake.js';
import { FACT_MEASUREMENT, STAR_TABLES, type StarTableName } from '../star/schema.js';
import { firstLine, READ_ONLY_CONFIG } from './duckdb-settings.js';
import { countRowsSql, createTableSql, deletePartitionSql, ident, insertSql, literal, upsertSql } from './duckdb-sql.js';
import { forgetLoad, loadFingerprint, rememberLoad, unchangedSinceLoad } from './duckdb-load-record.js';
import { DAILY_AIR_QUALITY, dailyStatsRebuild } from './daily-stats.js';
import { acquireFileLock, LockTimeoutError } from './file-lock.js';
import { localStarFiles } from './star-input.js';
import { checkQueryText, WarehouseInputError, type LoadStarResult, type Warehouse } from './warehouse.js';

export interface DuckDbWarehouseOptions {
  /** Opened to query only: loadStar is refused (query() is read-only either way). */
  readOnly?: boolean;
  dagId?: string;
  /** The task that loads the star, for "run ... again" hints. */
  loadTask?: string;
  signal?: AbortSignal;
  /** Where to say that we wait for another process's lock (default: stderr). */
  log?: (msg: string) => void;
}

export class DuckDbWarehouse implements Warehouse {
  readonly kind = 'duckdb' as const;

  constructor(
    readonly file: string,
    readonly uri: string,
    private readonly opts: DuckDbWarehouseOptions = {},
  ) {}

  /** Takes the warehouse's lock file (waiting for another holder, saying so once); resolves to its release. */
  private async lock(): Promise<() => Promise<void>> {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    try {
      const say = this.opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
      return await acquireFileLock(`${this.file}.windsock-lock`, {
        signal: this.opts.signal,
        onWait: (holder) => say(`waiting for the warehouse ${this.file}: another windsock process uses it (${holder})`),
      });
    } catch (err) {
      if (err instanceof LockTimeoutError) throw new Error(`the warehouse ${this.file} is busy: ${err.message}; try again when the load in progress has finished`);
      throw err;
    }
  }

  /** Opens the database (the caller holds the lock); `close` closes it, checkpointing what was written. */
  private async connect(mode: OpenMode): Promise<{ conn: DuckDBConnection; close: () => void }> {
    const instance = await openInstance(this.file, mode);
    try {
      const conn = await instance.connect();
      await conn.run(`SET TimeZone = 'UTC'`);
      // After the time zone (its extension loads on first use): no statement may change the settings back.
      if (mode === 'query') await conn.run('SET lock_configuration = true');
      return {
        conn,
        close: () => {
          try {
            conn.closeSync();
          } finally {
            instance.closeSync();
          }
        },
      };
    } catch (err) {
      instance.closeSync();
      throw err;
    }
  }

  /** Opens the database under the lock; `close` closes it and releases the lock. */
  private async open(mode: OpenMode): Promise<{ conn: DuckDBConnection; close: () => Promise<void> }> {
    if (mode === 'query' && !fs.existsSync(this.file)) {
      throw new WarehouseInputError(`the warehouse ${this.file} does not exist yet: load a day first (dag run openaq --date YYYY-MM-DD)`);
    }
    const release = await this.lock();
    try {
      const db = await this.connect(mode);
      return {
        conn: db.conn,
        close: async () => {
          try {
            db.close();
          } finally {
            await release();
          }
        },
      };
    } catch (err) {
      await release();
      throw err;
    }
  }

  async loadStar(lake: Lake, ds: string, log: (msg: string) => void = () => undefined): Promise<LoadStarResult> {
    if (this.opts.readOnly) throw new Error(`the warehouse ${this.file} was opened to query only: open it without readOnly to load`);
    // Every file checked against its manifest before anything else, a load that will find nothing to do included.
    const star = await localStarFiles(lake, ds, { dagId: this.opts.dagId, loadTask: this.opts.loadTask });
    try {
      const release = await this.lock();
      try {
        const fingerprint = loadFingerprint(ds, star.sha256, loadStatements(ds, PLACEHOLDER_FILES));
        const last = await unchangedSinceLoad(this.file, fingerprint);
        if (last) {
          // The partition holds exactly the file's rows: a load would replace them all with themselves.
          log(`${ds} is in ${this.file} as loaded from these star files, and nothing has written the warehouse since: left as it is`);
          return { ...last, replaced_fact_rows: last.loaded[FACT_MEASUREMENT.name] };
        }
        await forgetLoad(this.file);
        const db = await this.connect('write');
        let result: LoadStarResult;
        try {
          result = await this.replaceDay(db.conn, ds, star.files);
        } finally {
          db.close();
        }
        await rememberLoad(this.file, fingerprint, result);
        log(`loaded ${ds} into ${this.file}: ${result.loaded[FACT_MEASUREMENT.name]} facts (${result.replaced_fact_rows} replaced), dimensions upserted`);
        return result;
      } finally {
        await release();
      }
    } finally {
      await star.cleanup();
    }
  }

  /** One transaction: tables created if missing, dimensions upserted, the fact partition and its statistics replaced. */
  private async replaceDay(conn: DuckDBConnection, ds: string, files: Record<StarTableName, string>): Promise<LoadStarResult> {
    const plan = loadPlan(ds, files);
    const loaded = {} as Record<StarTableName, number>;
    let replaced = 0;
    await conn.run('BEGIN TRANSACTION');
    try {
      for (const sql of plan.creates) await conn.run(sql);
      // Rows read from each dimension's file (the upserts count only those that changed).
      const dimRows = (await conn.runAndReadAll(plan.countDimensions)).getRows()[0]!;
      plan.dimensions.forEach(({ def }, i) => (loaded[def.name] = Number(dimRows[i])));
      for (const { sql } of plan.dimensions) await conn.run(sql);
      replaced = (await conn.run(plan.fact.remove)).rowsChanged;
      loaded[FACT_MEASUREMENT.name] = (await conn.run(plan.fact.insert)).rowsChanged;
      // In the same transaction: the statistics never disagree with the facts they come from.
      await conn.run(plan.stats.remove);
      for (const { day, sql } of plan.stats.inserts) {
        // A day with no facts gets no statistics, so its insert would add nothing; skipping it (the day after the
        // latest one loaded, usually) saves the costliest statement of a re-run. Its old rows are deleted above.
        if (day !== ds && !(await hasFacts(conn, day))) continue;
        await conn.run(sql);
      }
      await conn.run('COMMIT');
    } catch (err) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
    const tables = {} as Record<StarTableName, number>;
    // one statement for every table's count
    const counts = (await conn.runAndReadAll(plan.countTables)).getRows()[0]!;
    STAR_TABLES.forEach((def, i) => (tables[def.name] = Number(counts[i])));
    return { ds, warehouse: this.uri, loaded, replaced_fact_rows: replaced, tables };
  }

  /**
   * Streams the result; the database stays open (and locked) until the caller has read it or stops. Queries only
   * read: the file is opened read-only and DuckDB refuses any file outside it (COPY TO, EXPORT DATABASE, ATTACH,
   * read_csv of another file), installing or loading extensions, and changing these settings.
   */
  async *query(sql: string): AsyncGenerator<arrow.RecordBatch> {
    checkQueryText(sql);
    // Arrow and the stream code only for queries: a load needs neither.
    const { streamBatches } = await import('./duckdb-stream.js');
    const db = await this.open('query');
    try {
      yield* streamBatches(db.conn, sql);
    } finally {
      await db.close();
    }
  }

  async close(): Promise<void> {
    // Nothing stays open between calls.
  }
}

/** 'write' for loads; 'query' is read-only and sealed off from every other file (DuckDB's own settings). */
type OpenMode = 'write' | 'query';

const CONFIG: Record<OpenMode, Record<string, string>> = {
  write: {},
  query: READ_ONLY_CONFIG,
};

/** Stands for the files in the fingerprint of a load: they are known by their sha256 there, not by their paths. */
const PLACEHOLDER_FILES = Object.fromEntries(STAR_TABLES.map((def) => [def.name, `star:${def.name}`])) as Record<StarTableName, string>;

/** The statements of a load of `ds` from `files`, in the order they run (hasFacts decides on the second stats insert). */
function loadPlan(ds: string, files: Record<StarTableName, string>) {
  const dimensions = STAR_TABLES.filter((def) => def.kind === 'dimension').map((def) => ({ def, sql: upsertSql(def, files[def.name]) }));
  return {
    creates: [...STAR_TABLES, DAILY_AIR_QUALITY].map((def) => createTableSql(def)),
    countDimensions: countRowsSql(dimensions.map(({ def }) => files[def.name])),
    dimensions,
    fact: { remove: deletePartitionSql(FACT_MEASUREMENT, ds), insert: insertSql(FACT_MEASUREMENT, files[FACT_MEASUREMENT.name]) },
    stats: dailyStatsRebuild(ds, ident),
    countTables: `SELECT ${STAR_TABLES.map((def) => `(SELECT count(*) FROM ${ident(def.name)})`).join(', ')}`,
  };
}

/** Every statement of the plan as text, for the fingerprint: a windsock that loads differently loads again in full. */
function loadStatements(ds: string, files: Record<StarTableName, string>): string[] {
  const p = loadPlan(ds, files);
  return [...p.creates, p.countDimensions, ...p.dimensions.map((d) => d.sql), p.fact.remove, p.fact.insert, p.stats.remove, ...p.stats.inserts.map((i) => i.sql), p.countTables];
}

async function hasFacts(conn: DuckDBConnection, day: string): Promise<boolean> {
  const r = await conn.runAndReadAll(`SELECT 1 FROM ${ident(FACT_MEASUREMENT.name)} WHERE ds = DATE ${literal(day)} LIMIT 1`);
  return r.getRows().length > 0;
}

async function openInstance(file: string, mode: OpenMode): Promise<DuckDBInstance> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  // Another process (a DuckDB shell, another windsock) may hold DuckDB's own file lock for a moment.
  for (let attempt = 1; ; attempt++) {
    try {
      return await DuckDBInstance.create(file, CONFIG[mode]);
    } catch (err) {
      const msg = (err as Error).message;
      const unusable = unusableWarehouse(file, msg);
      if (unusable) throw new WarehouseInputError(unusable);
      if (!/lock/i.test(msg) || attempt >= 20) {
        // a lock held too long is worth a retry of the task; anything else is a plain failure too
        throw new Error(`cannot open the warehouse ${file}: ${firstLine(msg)}`);
      }
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

/** A warehouse file DuckDB cannot use that the user can fix (empty, not DuckDB, a folder), said in one line. */
function unusableWarehouse(file: string, msg: string): string | undefined {
  const moveAway = `move it away (mv ${file} ${file}.bad) and load the days again (dag run openaq --date YYYY-MM-DD), or point WINDSOCK_WAREHOUSE elsewhere`;
  if (/not a valid DuckDB database file/i.test(msg)) {
    const empty = fs.statSync(file, { throwIfNoEntry: false })?.size === 0;
    return `the warehouse ${file} is ${empty ? 'empty (0 bytes)' : 'not a DuckDB database (damaged, or another kind of file)'}: ${moveAway}`;
  }
  if (/Is a directory/i.test(msg)) return `the warehouse ${file} is a folder, not a DuckDB file: ${moveAway}`;
  const denied = /(Permission denied|Read-only file system|No space left on device)/i.exec(msg);
  if (denied) return `cannot open the warehouse ${file}: ${denied[1]}: check the file, its folder and the disk, then try again`;
  return undefined;
}
