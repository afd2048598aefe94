// The `backfill` table (Airflow 3's Backfill model) and the runs that belong to each backfill.
import { statementCache, type Db, type Sql } from './db.js';
import { iso, type BackfillRow } from './rows.js';

export interface NewBackfill {
  dagId: string;
  from: Date;
  to: Date;
  conf: Record<string, unknown>;
  reprocessBehavior: BackfillRow['reprocess_behavior'];
  maxActiveRuns: number;
  user?: string | null;
}

export class BackfillRepo {
  private readonly sql: Sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  create(b: NewBackfill): BackfillRow {
    const t = iso();
    const id = this.sql(`INSERT INTO backfill (dag_id, from_date, to_date, dag_run_conf, reprocess_behavior, max_active_runs, triggering_user_name, created_at, updated_at)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(b.dagId, iso(b.from), iso(b.to), JSON.stringify(b.conf), b.reprocessBehavior, b.maxActiveRuns, b.user ?? null, t, t).lastInsertRowid;
    return this.get(Number(id))!;
  }

  get(id: number): BackfillRow | undefined {
    return this.sql('SELECT * FROM backfill WHERE id = ?').get(id) as BackfillRow | undefined;
  }

  /** The DAG's backfill that has not completed, if any (Airflow allows one at a time per DAG). */
  active(dagId: string): BackfillRow | undefined {
    return this.sql('SELECT * FROM backfill WHERE dag_id = ? AND completed_at IS NULL ORDER BY id LIMIT 1').get(dagId) as BackfillRow | undefined;
  }

  setPaused(id: number, paused: boolean): void {
    this.sql('UPDATE backfill SET is_paused = ?, updated_at = ? WHERE id = ?').run(paused ? 1 : 0, iso(), id);
  }

  complete(id: number, now = new Date()): void {
    this.sql('UPDATE backfill SET completed_at = ?, updated_at = ? WHERE id = ? AND completed_at IS NULL').run(iso(now), iso(now), id);
  }

  /** Attach a run to a backfill. */
  attach(dagId: string, runId: string, backfillId: number): void {
    this.sql('UPDATE dag_run SET backfill_id = ? WHERE dag_id = ? AND run_id = ?').run(backfillId, dagId, runId);
  }

  /** Running runs of the backfill (what its max_active_runs counts). */
  runningRuns(id: number): number {
    return this.sql(`SELECT count(*) FROM dag_run WHERE backfill_id = ? AND state = 'running'`).pluck().get(id) as number;
  }

  /** Backfills not yet completed that have no queued or running run left (Airflow's _mark_backfills_complete). */
  finished(): BackfillRow[] {
    return this.sql(`SELECT * FROM backfill b WHERE completed_at IS NULL
                     AND NOT EXISTS (SELECT 1 FROM dag_run r WHERE r.backfill_id = b.id AND r.state IN ('queued', 'running'))`).all() as BackfillRow[];
  }

  /** Fail the backfill's runs that have not started (cancel). Returns their run ids. */
  failQueued(id: number): string[] {
    const t = iso();
    const ids = this.sql(`SELECT run_id FROM dag_run WHERE backfill_id = ? AND state = 'queued'`).pluck().all(id) as string[];
    this.sql(`UPDATE dag_run SET state = 'failed', end_date = ?, updated_at = ? WHERE backfill_id = ? AND state = 'queued'`).run(t, t, id);
    return ids;
  }
}
