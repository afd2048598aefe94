// The DuckDB warehouse (WINDSOCK_WAREHOUSE=duckdb:///path, default $WINDSOCK_HOME/warehouse.duckdb). DuckDB locks
// its file per process, so every use opens, works and closes, under a lock file that also keeps worker threads of one
// process apart (file-lock.ts). A load is one transaction: tables created if missing, dimensions upserted, the fact
// partition of ds deleted and inserted straight from the Parquet files.
import fs from 'node:fs';
import path from 'node:path';
import type * as arrow from 'apache-arrow';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Lake } from '../lake/lake.js';
import { FACT_MEASUREMENT, STAR_TABLES, type StarTableName } from '../star/schema.js';
import { firstLine, READ_ONLY_CONFIG, streamBatches } from './duckdb-stream.js';
import { createTableSql, deletePartitionSql, ident, insertSql, literal, upsertSql } from './duckdb-sql.js';
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

  /** Opens the database under the lock; `close` closes it and releases the lock. */
  private async open(mode: OpenMode): Promise<{ conn: DuckDBConnection; close: () => Promise<void> }> {
    if (mode === 'query' && !fs.existsSync(this.file)) {
      throw new WarehouseInputError(`the warehouse ${this.file} does not exist yet: load a day first (dag run openaq --date YYYY-MM-DD)`);
    }
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    let release: () => Promise<void>;
    try {
      const say = this.opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
      release = await acquireFileLock(`${this.file}.windsock-lock`, {
        signal: this.opts.signal,
        onWait: (holder) => say(`waiting for the warehouse ${this.file}: another windsock process uses it (${holder})`),
      });
    } catch (err) {
      if (err instanceof LockTimeoutError) throw new Error(`the warehouse ${this.file} is busy: ${err.message}; try again when the load in progress has finished`);
      throw err;
    }
    let instance: DuckDBInstance | undefined;
    try {
      instance = await openInstance(this.file, mode);
      const conn = await instance.connect();
      await conn.run(`SET TimeZone = 'UTC'`);
      // After the time zone (its extension loads on first use): no statement may change the settings back.
      if (mode === 'query') await conn.run('SET lock_configuration = true');
      const opened = instance;
      return {
        conn,
        close: async () => {
          try {
            conn.closeSync();
            opened.closeSync();
          } finally {
            await release();
          }
        },
      };
    } catch (err) {
      instance?.closeSync();
      await release();
      throw err;
    }
  }

  private async withDatabase<T>(mode: OpenMode, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const db = await this.open(mode);
    try {
      return await fn(db.conn);
    } finally {
      await db.close();
    }
  }

  async loadStar(lake: Lake, ds: string, log: (msg: string) => void = () => undefined): Promise<LoadStarResult> {
    if (this.opts.readOnly) throw new Error(`the warehouse ${this.file} was opened to query only: open it without readOnly to load`);
    const star = await localStarFiles(lake, ds, { dagId: this.opts.dagId, loadTask: this.opts.loadTask });
    try {
      return await this.withDatabase('write', async (conn) => {
        const loaded = {} as Record<StarTableName, number>;
        let replaced = 0;
        await conn.run('BEGIN TRANSACTION');
        try {
          for (const def of [...STAR_TABLES, DAILY_AIR_QUALITY]) await conn.run(createTableSql(def));
          for (const def of STAR_TABLES) {
            const file = star.files[def.name];
            if (def.kind === 'dimension') {
              loaded[def.name] = (await conn.run(upsertSql(def, file))).rowsChanged;
            } else {
              replaced = (await conn.run(deletePartitionSql(def, ds))).rowsChanged;
              loaded[def.name] = (await conn.run(insertSql(def, file))).rowsChanged;
            }
          }
          // In the same transaction: the statistics never disagree with the facts they come from.
          const stats = dailyStatsRebuild(ds, ident);
          await conn.run(stats.remove);
          for (const { day, sql } of stats.inserts) {
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
        const counts = (await conn.runAndReadAll(`SELECT ${STAR_TABLES.map((def) => `(SELECT count(*) FROM ${ident(def.name)})`).join(', ')}`)).getRows()[0]!;
        STAR_TABLES.forEach((def, i) => (tables[def.name] = Number(counts[i])));
        log(`loaded ${ds} into ${this.file}: ${loaded[FACT_MEASUREMENT.name]} facts (${replaced} replaced), dimensions upserted`);
        return { ds, warehouse: this.uri, loaded, replaced_fact_rows: replaced, tables };
      });
    } finally {
      await star.cleanup();
    }
  }

  /**
   * Streams the result; the database stays open (and locked) until the caller has read it or stops. Queries only
   * read: the file is opened read-only and DuckDB refuses any file outside it (COPY TO, EXPORT DATABASE, ATTACH,
   * read_csv of another file), installing or loading extensions, and changing these settings.
   */
  async *query(sql: string): AsyncGenerator<arrow.RecordBatch> {
    checkQueryText(sql);
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
