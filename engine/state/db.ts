// Opening the state database: SQLite in WAL mode under WINDSOCK_HOME, migrated to the latest schema.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
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

export function openDb(home: string, opts: { readonly?: boolean } = {}): Db {
  fs.mkdirSync(home, { recursive: true });
  const db = new Database(stateDbPath(home), { readonly: opts.readonly ?? false });
  db.pragma('busy_timeout = 10000');
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives a crash of this process (the OS has it); only a power cut can lose the
    // last transactions, never corrupt the file.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  }
  return db;
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
