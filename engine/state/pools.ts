// The `slot_pool` table, with each pool's slots in use counted from the task instances in it. default_pool
// (128 slots) always exists; slots -1 means unlimited, as in Airflow 3 (PoolBody's `slots >= -1`).
import { statementCache, type Db, type Sql } from './db.js';
import type { PoolRow } from './rows.js';

export const DEFAULT_POOL = 'default_pool';

export interface PoolUsage extends PoolRow {
  running_slots: number;
  queued_slots: number;
  scheduled_slots: number;
  deferred_slots: number;
  occupied_slots: number;
  /** -1 for an unlimited pool. */
  open_slots: number;
}

export interface PoolChange {
  slots?: number;
  description?: string | null;
  includeDeferred?: boolean;
}

const slotsIn = (state: string) => `coalesce(sum(CASE WHEN ti.state = '${state}' THEN ti.pool_slots END), 0) AS ${state}_slots`;

// Airflow's Pool.slots_stats: occupied = running + queued (+ deferred when the pool counts them); scheduled slots
// are reported but hold nothing yet.
const USAGE = `
  SELECT p.*, ${slotsIn('running')}, ${slotsIn('queued')}, ${slotsIn('scheduled')}, ${slotsIn('deferred')}
  FROM slot_pool p LEFT JOIN task_instance ti ON ti.pool = p.pool AND ti.state IN ('running', 'queued', 'scheduled', 'deferred')`;

/** Every pool with its usage as one relation, for filtered and paged listings (`FROM ${POOLS_WITH_USAGE} p`). */
export const POOLS_WITH_USAGE = `(${USAGE} GROUP BY p.id)`;

export function withOccupancy(row: PoolUsage): PoolUsage {
  row.occupied_slots = row.running_slots + row.queued_slots + (row.include_deferred ? row.deferred_slots : 0);
  row.open_slots = row.slots < 0 ? -1 : row.slots - row.occupied_slots;
  return row;
}

/** The names of the pools, read from `db` alone (a read-only connection, for `dag validate`). */
export function poolNames(db: Db): Set<string> {
  return new Set(db.prepare('SELECT pool FROM slot_pool').pluck().all() as string[]);
}

export class PoolRepo {
  private readonly sql: Sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  list(): PoolUsage[] {
    return this.sql(`${USAGE} GROUP BY p.id ORDER BY p.pool`).all().map((r) => withOccupancy(r as PoolUsage));
  }

  usage(name: string): PoolUsage | undefined {
    const r = this.sql(`${USAGE} WHERE p.pool = ? GROUP BY p.id`).get(name) as PoolUsage | undefined;
    return r && withOccupancy(r);
  }

  get(name: string): PoolRow | undefined {
    return this.sql('SELECT * FROM slot_pool WHERE pool = ?').get(name) as PoolRow | undefined;
  }

  slots(name: string): number | undefined {
    return this.sql('SELECT slots FROM slot_pool WHERE pool = ?').pluck().get(name) as number | undefined;
  }

  insert(name: string, slots: number, description: string | null, includeDeferred: boolean): void {
    this.sql('INSERT INTO slot_pool (pool, slots, description, include_deferred) VALUES (?, ?, ?, ?)').run(name, slots, description, includeDeferred ? 1 : 0);
  }

  /** Change the fields given; false when there is no such pool. */
  update(name: string, c: PoolChange & { rename?: string }): boolean {
    const row = this.get(name);
    if (!row) return false;
    this.sql('UPDATE slot_pool SET pool = ?, slots = ?, description = ?, include_deferred = ? WHERE id = ?').run(
      c.rename ?? row.pool,
      c.slots ?? row.slots,
      c.description === undefined ? row.description : c.description,
      c.includeDeferred === undefined ? row.include_deferred : c.includeDeferred ? 1 : 0,
      row.id,
    );
    return true;
  }

  delete(name: string): boolean {
    return this.sql('DELETE FROM slot_pool WHERE pool = ?').run(name).changes > 0;
  }
}
