// One page of a filtered listing and the total it was cut from, in one read transaction (so the two agree), for the
// REST API's list endpoints. Conditions are SQL fragments with `?` placeholders, built from validated parameters.
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

export function page<T>(db: Db, q: PageQuery): { rows: T[]; total: number } {
  const where = q.where.sql();
  return db.transaction(() => {
    const total = db.prepare(`SELECT count(*) ${q.from} ${where}`).pluck().get(...q.where.params) as number;
    const rows = db.prepare(`SELECT ${q.select ?? '*'} ${q.from} ${where} ORDER BY ${q.orderBy} LIMIT ? OFFSET ?`)
      .all(...q.where.params, q.limit, q.offset) as T[];
    return { rows, total };
  })();
}
