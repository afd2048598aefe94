// The `slot_pool` table. default_pool (128 slots) always exists and cannot be deleted, as in Airflow.
import { statementCache, type Db, type Sql } from './db.js';
import type { PoolRow } from './rows.js';
import { UserError } from '../types.js';
import { requireName } from '../dag/names.js';

export const DEFAULT_POOL = 'default_pool';

export interface PoolUsage extends PoolRow {
  running_slots: number;
  queued_slots: number;
  occupied_slots: number;
  open_slots: number;
}

export class PoolRepo {
  private readonly sql: Sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  list(): PoolUsage[] {
    return this.sql(`
      SELECT p.*, coalesce(sum(CASE WHEN ti.state = 'running' THEN ti.pool_slots END), 0) AS running_slots,
             coalesce(sum(CASE WHEN ti.state = 'queued' THEN ti.pool_slots END), 0) AS queued_slots
      FROM slot_pool p LEFT JOIN task_instance ti ON ti.pool = p.pool AND ti.state IN ('running', 'queued')
      GROUP BY p.id ORDER BY p.pool`).all()
      .map((r) => {
        const row = r as PoolUsage;
        row.occupied_slots = row.running_slots + row.queued_slots;
        row.open_slots = row.slots - row.occupied_slots;
        return row;
      });
  }

  get(name: string): PoolRow | undefined {
    return this.sql('SELECT * FROM slot_pool WHERE pool = ?').get(name) as PoolRow | undefined;
  }

  slots(name: string): number | undefined {
    return this.sql('SELECT slots FROM slot_pool WHERE pool = ?').pluck().get(name) as number | undefined;
  }

  set(name: string, slots: number, description?: string): void {
    requireName('pool', name); // every front door (CLI, HTTP) goes through here
    this.sql(`INSERT INTO slot_pool (pool, slots, description) VALUES (?, ?, ?)
                     ON CONFLICT (pool) DO UPDATE SET slots = excluded.slots, description = coalesce(excluded.description, description)`)
      .run(name, slots, description ?? null);
  }

  delete(name: string): void {
    if (name === DEFAULT_POOL) throw new UserError('default_pool cannot be deleted: set its slots instead (dag pools set default_pool N)');
    if (this.sql('DELETE FROM slot_pool WHERE pool = ?').run(name).changes === 0) {
      throw new UserError(`pool '${name}' does not exist: see dag pools list`);
    }
  }
}
