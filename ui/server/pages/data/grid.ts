// The grid: the DAG's last runs (25 by default, older pages by `before`) x every task, in two indexed queries.
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
  /** `${run_id}\0${task_id}` -> cell */
  cells: Map<string, GridCell>;
  /** The logical date to pass as `before` for the previous page, when there are older runs. */
  olderBefore: string | null;
}

export const cellKey = (runId: string, taskId: string) => `${runId}\0${taskId}`;

export function gridData(store: Store, dagId: string, spec: DagSpec | undefined, o: { before?: string; limit?: number } = {}): Grid {
  const limit = o.limit ?? GRID_RUNS;
  return store.db.transaction(() => {
    const newestFirst = store.db
      .prepare(`SELECT * FROM dag_run WHERE dag_id = @dag AND (@before IS NULL OR logical_date < @before) ORDER BY logical_date DESC, id DESC LIMIT @limit`)
      .all({ dag: dagId, before: o.before ?? null, limit: limit + 1 }) as DagRunRow[];
    const older = newestFirst.length > limit;
    const runs = newestFirst.slice(0, limit).reverse();
    const cells = new Map<string, GridCell>();
    const seen = new Map<string, string | null>();
    if (runs.length) {
      const tis = store.db
        .prepare(`SELECT run_id, task_id, state, try_number, duration, operator FROM task_instance
                  WHERE dag_id = ? AND run_id IN (SELECT value FROM json_each(?))`)
        .all(dagId, JSON.stringify(runs.map((r) => r.run_id))) as (GridCell & { run_id: string; task_id: string; operator: string | null })[];
      for (const t of tis) {
        cells.set(cellKey(t.run_id, t.task_id), { state: t.state, try_number: t.try_number, duration: t.duration });
        if (!seen.has(t.task_id)) seen.set(t.task_id, t.operator);
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
