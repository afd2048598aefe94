// The `variable` table (Airflow's Variable model): one value per key, as text, with a description.
import { statementCache, type Db, type Sql } from './db.js';
import { iso, type VariableRow } from './rows.js';

export class VariableRepo {
  private readonly sql: Sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  get(key: string): VariableRow | undefined {
    return this.sql('SELECT * FROM variable WHERE key = ?').get(key) as VariableRow | undefined;
  }

  /** The stored text of `key`, for templates. */
  value(key: string): string | undefined {
    return this.sql('SELECT val FROM variable WHERE key = ?').pluck().get(key) as string | undefined;
  }

  list(): VariableRow[] {
    return this.sql('SELECT * FROM variable ORDER BY key').all() as VariableRow[];
  }

  /** Insert or replace the value; the description is kept when `description` is undefined. */
  upsert(key: string, val: string, description?: string | null): void {
    const t = iso();
    this.sql(`INSERT INTO variable (key, val, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
              ON CONFLICT (key) DO UPDATE SET val = excluded.val, updated_at = excluded.updated_at,
              description = CASE WHEN ? THEN excluded.description ELSE description END`)
      .run(key, val, description ?? null, t, t, description === undefined ? 0 : 1);
  }

  rename(from: string, to: string): void {
    this.sql('UPDATE variable SET key = ?, updated_at = ? WHERE key = ?').run(to, iso(), from);
  }

  delete(key: string): boolean {
    return this.sql('DELETE FROM variable WHERE key = ?').run(key).changes > 0;
  }
}
