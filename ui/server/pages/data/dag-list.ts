// What the DAG list shows, read from the store in two queries whatever the number of DAGs: the DAGs matching the
// filters with their last run, then the recent runs of those DAGs (a window over dag_run), and the import errors.
import type { Store } from '../../../../engine/state/store.js';
import type { DagRow, ImportErrorRow } from '../../../../engine/state/rows.js';
import { Conditions } from '../../../../engine/state/page.js';

export const RECENT_RUNS = 10;

export interface DagListFilter {
  q?: string;
  tag?: string;
  /** The last run's state. */
  state?: string;
  paused?: 'all' | 'active' | 'paused';
}

export interface RunMark {
  run_id: string;
  state: string;
  logical_date: string;
}

export interface DagListEntry {
  dag: DagRow;
  tags: string[];
  lastRun: RunMark | null;
  recent: RunMark[];
}

export interface DagList {
  entries: DagListEntry[];
  allTags: string[];
  importErrors: ImportErrorRow[];
  total: number;
}

export function dagList(store: Store, f: DagListFilter): DagList {
  const where = new Conditions().add('dag.is_active = 1');
  if (f.q) where.add(`instr(lower(dag.dag_id), lower(?)) > 0`, f.q);
  if (f.tag) where.add('EXISTS (SELECT 1 FROM json_each(dag.tags) WHERE value = ?)', f.tag);
  if (f.paused === 'active') where.add('dag.is_paused = 0');
  if (f.paused === 'paused') where.add('dag.is_paused = 1');
  if (f.state) where.add(`(SELECT r.state FROM dag_run r WHERE r.dag_id = dag.dag_id ORDER BY r.logical_date DESC, r.id DESC LIMIT 1) = ?`, f.state);
  return store.db.transaction(() => {
    const dags = store.db.prepare(`SELECT * FROM dag ${where.sql()} ORDER BY dag.dag_id`).all(...where.params) as DagRow[];
    const recent = store.db
      .prepare(`SELECT dag_id, run_id, state, logical_date FROM (
                  SELECT dag_id, run_id, state, logical_date,
                         row_number() OVER (PARTITION BY dag_id ORDER BY logical_date DESC, id DESC) AS n
                  FROM dag_run WHERE dag_id IN (SELECT value FROM json_each(?)))
                WHERE n <= ? ORDER BY dag_id, logical_date, run_id`)
      .all(JSON.stringify(dags.map((d) => d.dag_id)), RECENT_RUNS) as (RunMark & { dag_id: string })[];
    const byDag = new Map<string, RunMark[]>();
    for (const r of recent) {
      const list = byDag.get(r.dag_id) ?? [];
      list.push({ run_id: r.run_id, state: r.state, logical_date: r.logical_date });
      byDag.set(r.dag_id, list);
    }
    const allTags = store.db.prepare(`SELECT DISTINCT value FROM dag, json_each(dag.tags) WHERE dag.is_active = 1 ORDER BY value`).pluck().all() as string[];
    const total = store.db.prepare('SELECT count(*) FROM dag WHERE is_active = 1').pluck().get() as number;
    const entries = dags.map((dag) => {
      const runs = byDag.get(dag.dag_id) ?? [];
      return { dag, tags: parseTags(dag.tags), recent: runs, lastRun: runs[runs.length - 1] ?? null };
    });
    return { entries, allTags, importErrors: store.importErrors.list(), total };
  })();
}

export function parseTags(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}
