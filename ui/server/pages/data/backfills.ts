// A DAG's backfills for its Runs tab, newest first, each with how many of its runs are in each state (one query).
import type { Store } from '../../../../engine/state/store.js';
import type { BackfillRow } from '../../../../engine/state/rows.js';

export const BACKFILLS_SHOWN = 20;

export interface BackfillView extends BackfillRow {
  /** Its runs by state (queued, running, success, failed). */
  runs: Record<string, number>;
}

export function dagBackfills(store: Store, dagId: string): BackfillView[] {
  const rows = store.db.prepare('SELECT * FROM backfill WHERE dag_id = ? ORDER BY id DESC LIMIT ?').all(dagId, BACKFILLS_SHOWN) as BackfillRow[];
  const runs = backfillRuns(store, rows.map((b) => b.id));
  return rows.map((b) => ({ ...b, runs: runs.get(b.id)! }));
}

/** The runs of each of these backfills by state, in one query. */
export function backfillRuns(store: Store, ids: number[]): Map<number, Record<string, number>> {
  const byId = new Map(ids.map((id) => [id, {} as Record<string, number>]));
  if (!ids.length) return byId;
  const counts = store.db
    .prepare(`SELECT backfill_id, state, count(*) FROM dag_run WHERE backfill_id IN (SELECT value FROM json_each(?)) GROUP BY backfill_id, state`)
    .raw(true)
    .all(JSON.stringify(ids)) as [number, string, number][];
  for (const [id, state, n] of counts) byId.get(id)![state] = n;
  return byId;
}

/** Pure: what a backfill is doing, as the page says it. */
export function backfillStatus(b: Pick<BackfillRow, 'completed_at' | 'is_paused'>): 'completed' | 'paused' | 'running' {
  return b.completed_at ? 'completed' : b.is_paused ? 'paused' : 'running';
}
