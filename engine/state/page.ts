// One page of a filtered listing and the total it was cut from, in one read transaction (so the two agree), for the
// REST API's list endpoints. Conditions are SQL fragments with `?` placeholders, built from validated parameters.
import type Database from 'better-sqlite3';
import type { Db } from './db.js';

export class Conditions {
  readonly parts: string[] = [];
  readonly params: unknown[] = [];

  /** Add `sql` (with `?` placeholders) unless the value is absent. */
  when<T>(value: T | null | undefined, sql: string, ...params: ((v: T) => unknown)[]): this {
    if (value === null || value === undefined) return this;
    return this.add(sql, ...params.map((p) => p(value)));
  }

  add(sql: string, ...params: unknown[]): this {
    this.parts.push(sql);
    this.params.push(...params);
    return this;
  }

  /** `column IN (...)` for a non-empty list; nothing for an empty one. */
  in(column: string, values: readonly unknown[] | null | undefined): this {
    if (!values?.length) return this;
    return this.add(`${column} IN (SELECT value FROM json_each(?))`, JSON.stringify(values));
  }

  sql(): string {
    return this.parts.length ? `WHERE ${this.parts.map((p) => `(${p})`).join(' AND ')}` : '';
  }
}

export interface PageQuery {
  /** Everything after SELECT ... : `FROM table [JOIN ...]`. */
  from: string;
  select?: string;
  where: Conditions;
  orderBy: string;
  limit: number;
  offset: number;
}

// A listing's SQL depends only on which filters and sort keys were asked for, so the same few texts recur: they are
// prepared once per database (parsing and planning cost as much as a small page), within a bound.
const MAX_STATEMENTS = 500;
const statements = new WeakMap<Db, Map<string, Database.Statement>>();

function prepared(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) {
    if (cache.size >= MAX_STATEMENTS) cache.clear();
    cache.set(sql, (stmt = db.prepare(sql)));
  }
  return stmt;
}

export function page<T>(db: Db, q: PageQuery): { rows: T[]; total: number } {
  const where = q.where.sql();
  return db.transaction(() => {
    const total = prepared(db, `SELECT count(*) AS n ${q.from} ${where}`).get(...q.where.params) as { n: number };
    const rows = prepared(db, `SELECT ${q.select ?? '*'} ${q.from} ${where} ORDER BY ${q.orderBy} LIMIT ? OFFSET ?`)
      .all(...q.where.params, q.limit, q.offset) as T[];
    return { rows, total: total.n };
  })();
}
