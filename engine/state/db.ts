// Opening the state database: SQLite in WAL mode under WINDSOCK_HOME, migrated to the latest schema.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { homeFolderError, StateDbError, stateDbError } from './db-errors.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;
export type Sql = (text: string) => Database.Statement;

/**
 * A repository's statements, prepared on first use and kept: the scheduler and run loop call the same few queries
 * for every DAG and task instance. Each SQL text must be used one way (plucked or not) in its repository.
 */
export function statementCache(db: Db): Sql {
  const cache = new Map<string, Database.Statement>();
  return (text) => {
    let stmt = cache.get(text);
    if (!stmt) cache.set(text, (stmt = db.prepare(text)));
    return stmt;
  };
}

export function stateDbPath(home: string): string {
  return path.join(home, 'windsock.db');
}

/**
 * The state database of `home`, migrated. A missing database is created whole (built aside, then linked into
 * place), so a windsock.db of 0 bytes is never ours: it is a truncated file, and is refused rather than silently
 * treated as a new, empty history. Failures a user can fix are StateDbErrors (one line, what to do).
 */
export function openDb(home: string, opts: { readonly?: boolean } = {}): Db {
  const file = stateDbPath(home);
  try {
    fs.mkdirSync(home, { recursive: true });
  } catch (err) {
    throw homeFolderError(err, home) ?? err;
  }
  try {
    if (!opts.readonly && !fs.existsSync(file)) createDbFile(file);
    refuseEmpty(file);
    const db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
    try {
      db.pragma('busy_timeout = 10000');
      if (!opts.readonly) {
        db.pragma('journal_mode = WAL');
        // NORMAL in WAL mode: a commit survives a crash of this process (the OS has it); only a power cut can lose
        // the last transactions, never corrupt the file.
        db.pragma('synchronous = NORMAL');
        db.pragma('foreign_keys = ON');
        migrate(db);
      }
    } catch (err) {
      db.close();
      throw err;
    }
    return db;
  } catch (err) {
    throw stateDbError(err, file, 'opening') ?? err;
  }
}

function createDbFile(file: string): void {
  const aside = `${file}.windsock-new-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const db = new Database(aside);
    try {
      db.pragma('journal_mode = WAL');
      migrate(db);
    } finally {
      db.close(); // checkpoints and removes the -wal and -shm files of `aside`
    }
    try {
      fs.linkSync(aside, file);
    } catch (err) {
      // EEXIST: another process created it meanwhile, and theirs is as good as ours
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  } finally {
    for (const f of [aside, `${aside}-wal`, `${aside}-shm`]) fs.rmSync(f, { force: true });
  }
}

function refuseEmpty(file: string): void {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  if (st?.isFile() && st.size === 0) {
    throw new StateDbError(
      `the state database ${file} is empty (0 bytes): it was truncated, and the history of every DAG run in it is gone`,
      `restore it from a backup, or move it away (mv ${file} ${file}.empty) and run the command again to start afresh`,
      true,
    );
  }
}

export function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS migration (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT id FROM migration').pluck().all() as number[]);
  for (const m of MIGRATIONS) {
    if (applied.has(m.id)) continue;
    const apply = db.transaction(() => {
      db.prepare('INSERT INTO migration (id, name, applied_at) VALUES (?, ?, ?)').run(m.id, m.name, new Date().toISOString());
      db.exec(m.sql);
    });
    try {
      apply.immediate();
    } catch (err) {
      // Another process applied it between our read and our write: fine, as long as it is there now.
      const now = db.prepare('SELECT 1 FROM migration WHERE id = ?').get(m.id);
      if (!now) throw err;
    }
  }
}
