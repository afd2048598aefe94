// Read-only snapshots of the DuckDB warehouse for a long-lived reader (the web server's analytics endpoints).
// DuckDB locks its file per process and warehouse.load_star needs it for writing, so a reader that kept the file
// open, or held windsock's lock while a client downloads a year of data, would stall or fail the next load. Instead
// the file is copied under the lock (a moment), and the copy is opened read-only with no lock at all: streams read
// the copy at their own pace while loads go on. A new copy is made when the warehouse file changes (after a load);
// an old copy is closed and deleted once its last stream ends.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as arrow from 'apache-arrow';
import type { DuckDBInstance } from '@duckdb/node-api';
import { READ_ONLY_CONFIG } from './duckdb-settings.js';
import { streamBatches } from './duckdb-stream.js';
import { acquireFileLock } from './file-lock.js';
import { checkQueryText, WarehouseInputError } from './warehouse.js';

/** Queries over one consistent view of the warehouse; close it when done. */
export interface ReadSession {
  query(sql: string): AsyncIterable<arrow.RecordBatch>;
  close(): Promise<void>;
}

interface Snapshot {
  /** The warehouse file's size and mtime when copied. */
  version: string;
  file: string;
  instance: DuckDBInstance;
  users: number;
  retired: boolean;
}

export class DuckDbSnapshotReader {
  private current: Snapshot | undefined;
  private making: Promise<Snapshot> | undefined;
  private readonly dir: string;
  private seq = 0;

  constructor(readonly file: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'windsock-warehouse-snapshot-'));
  }

  /** size:mtime of the file and its WAL: what a load changes. */
  private version(): string | undefined {
    const st = fs.statSync(this.file, { throwIfNoEntry: false });
    if (!st) return undefined;
    const wal = fs.statSync(`${this.file}.wal`, { throwIfNoEntry: false });
    return `${st.size}:${st.mtimeMs}:${wal ? `${wal.size}:${wal.mtimeMs}` : '-'}`;
  }

  private async snapshot(): Promise<Snapshot> {
    const seen = this.version();
    if (seen === undefined) throw new WarehouseInputError(`the warehouse ${this.file} does not exist yet: load a day first (dag run openaq --date YYYY-MM-DD)`);
    if (this.current && this.current.version === seen) return this.current;
    this.making ??= this.copy().finally(() => (this.making = undefined));
    return this.making;
  }

  private async copy(): Promise<Snapshot> {
    const release = await acquireFileLock(`${this.file}.windsock-lock`);
    let version: string;
    const file = path.join(this.dir, `warehouse-${++this.seq}.duckdb`);
    try {
      version = this.version()!;
      fs.copyFileSync(this.file, file);
      if (fs.existsSync(`${this.file}.wal`)) fs.copyFileSync(`${this.file}.wal`, `${file}.wal`);
    } finally {
      await release();
    }
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(file, READ_ONLY_CONFIG);
    // Once for the instance (the lock is global): UTC, then no statement may change the settings back.
    const setup = await instance.connect();
    await setup.run(`SET GLOBAL TimeZone = 'UTC'`);
    await setup.run('SET lock_configuration = true');
    setup.closeSync();
    const snap: Snapshot = { version, file, instance, users: 0, retired: false };
    const old = this.current;
    this.current = snap;
    if (old) this.retire(old);
    return snap;
  }

  private retire(s: Snapshot): void {
    s.retired = true;
    if (s.users > 0) return;
    s.instance.closeSync();
    fs.rmSync(s.file, { force: true });
    fs.rmSync(`${s.file}.wal`, { force: true });
  }

  /** A session on the latest snapshot: every query of it reads the same data, whatever loads happen meanwhile. */
  async open(): Promise<ReadSession> {
    const snap = await this.snapshot();
    snap.users++;
    let conn;
    try {
      conn = await snap.instance.connect();
    } catch (err) {
      this.release(snap);
      throw err;
    }
    const opened = conn;
    let closed = false;
    return {
      query: (sql: string) => {
        checkQueryText(sql);
        return streamBatches(opened, sql);
      },
      close: async () => {
        if (closed) return;
        closed = true;
        opened.closeSync();
        this.release(snap);
      },
    };
  }

  private release(snap: Snapshot): void {
    snap.users--;
    if (snap.retired) this.retire(snap);
  }

  async close(): Promise<void> {
    if (this.current) this.retire(this.current);
    this.current = undefined;
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
