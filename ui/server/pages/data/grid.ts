// The grid: the DAG's last runs (25 by default, older pages by `before`) x every task, in two indexed queries. The
// task instances are read as arrays (better-sqlite3's raw mode: an object per row cost eight times the read) and
// kept per task, one slot per run, so the page looks a cell up by index rather than by a built key.
// Tasks come from the parsed DAG file (file order, task groups); a DAG whose file is gone shows the tasks its runs have.
import type { Store } from '../../../../engine/state/store.js';
import type { DagRunRow } from '../../../../engine/state/rows.js';
import type { DagSpec } from '../../../../engine/types.js';

export const GRID_RUNS = 25;

export interface GridCell {
  state: string | null;
  try_number: number;
  duration: number | null;
}

export interface GridRow {
  taskId: string;
  /** The task group it belongs to (its full id), or null. */
  group: string | null;
  operator: string | null;
}

export interface Grid {
  runs: DagRunRow[];
  rows: GridRow[];
  /** task id -> its cell in each run, in the order of `runs` (undefined: the run has no such task). */
  cells: Map<string, (GridCell | undefined)[]>;
  /** The logical date to pass as `before` for the previous page, when there are older runs. */
  olderBefore: string | null;
}

export function gridData(store: Store, dagId: string, spec: DagSpec | undefined, o: { before?: string; limit?: number } = {}): Grid {
  const limit = o.limit ?? GRID_RUNS;
  return store.db.transaction(() => {
    const newestFirst = store.db
      .prepare(`SELECT * FROM dag_run WHERE dag_id = @dag AND (@before IS NULL OR logical_date < @before) ORDER BY logical_date DESC, id DESC LIMIT @limit`)
      .all({ dag: dagId, before: o.before ?? null, limit: limit + 1 }) as DagRunRow[];
    const older = newestFirst.length > limit;
    const runs = newestFirst.slice(0, limit).reverse();
    const cells = new Map<string, (GridCell | undefined)[]>();
    const seen = new Map<string, string | null>();
    if (runs.length) {
      const col = new Map(runs.map((r, i) => [r.run_id, i]));
      const tis = store.db
        .prepare(`SELECT run_id, task_id, state, try_number, duration, operator FROM task_instance
                  WHERE dag_id = ? AND run_id IN (SELECT value FROM json_each(?))`)
        .raw(true)
        .all(dagId, JSON.stringify(runs.map((r) => r.run_id))) as [string, string, string | null, number, number | null, string | null][];
      for (const [runId, taskId, state, tryNumber, dur, operator] of tis) {
        let row = cells.get(taskId);
        if (!row) {
          cells.set(taskId, (row = new Array<GridCell | undefined>(runs.length)));
          seen.set(taskId, operator);
        }
        row[col.get(runId)!] = { state, try_number: tryNumber, duration: dur };
      }
    }
    const rows: GridRow[] = spec
      ? groupOrder(spec.tasks.map((t) => ({ taskId: t.taskId, group: t.group, operator: t.operator })))
      : [...seen].sort(([a], [b]) => a.localeCompare(b)).map(([taskId, operator]) => ({ taskId, group: null, operator }));
    return { runs, rows, cells, olderBefore: older ? runs[0].logical_date : null };
  })();
}

/** Pure: file order, with the members of a group gathered where the group first appears. */
export function groupOrder(rows: GridRow[]): GridRow[] {
  const out: GridRow[] = [];
  const groups = new Map<string, GridRow[]>();
  for (const r of rows) {
    if (!r.group) {
      out.push(r);
      continue;
    }
    let members = groups.get(r.group);
    if (!members) {
      groups.set(r.group, (members = []));
      out.push({ taskId: '', group: r.group, operator: null }); // placeholder for the group's place
    }
    members.push(r);
  }
  return out.flatMap((r) => (r.taskId === '' && r.group ? groups.get(r.group)! : [r]));
}

/**
 * The run and task a page is asked about: `run` and `task` as given (links elsewhere), or `r` and `t` as the grid's
 * cells carry them (`r` is the run's row id, shorter than its run id in 12,500 links).
 */
export function cellTarget(store: Store, dagId: string, q: (name: string) => string | undefined): { run?: string; task?: string } {
  const task = q('task') ?? q('t');
  const run = q('run');
  if (run !== undefined) return { run, task };
  const r = q('r');
  if (r === undefined || !/^\d{1,15}$/.test(r)) return { task };
  const runId = store.db.prepare('SELECT run_id FROM dag_run WHERE id = ? AND dag_id = ?').pluck().get(Number(r), dagId) as string | undefined;
  return { run: runId ?? `#${r}`, task };
}
