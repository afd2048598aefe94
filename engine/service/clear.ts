// Clearing task instances so they run again: what `dag tasks clear`, POST .../dagRuns/{run_id}/clear and POST
// /dags/{dag_id}/clearTaskInstances all do (Airflow's DAG.clear + clear_task_instances). Planning is separate from
// applying, so a dry run (or the CLI's confirmation) shows exactly what would be cleared. Cleared task instances go
// back to none with a fresh set of retries; their runs back to queued (unless asked not to), for the scheduler.
import type { DagSpec, TaskState } from '../types.js';
import type { Store } from '../state/store.js';
import type { DagRunRow, TaskInstanceRow } from '../state/rows.js';
import { ancestors, descendants } from '../dag/graph.js';

export interface ClearSelection {
  /** Only these runs (by run id). */
  runIds?: string[];
  /** Only runs whose logical date is within these bounds (inclusive). */
  from?: Date;
  to?: Date;
  /** Only these tasks (with their upstream / downstream tasks when asked), or the tasks whose id matches. */
  taskIds?: string[];
  taskRegex?: RegExp;
  includeUpstream?: boolean;
  includeDownstream?: boolean;
  /** With runIds: the same tasks in every earlier / later run too (Airflow's include_past / include_future). */
  includePast?: boolean;
  includeFuture?: boolean;
  /** Only failed and upstream_failed task instances. */
  onlyFailed?: boolean;
  /** Only running task instances. */
  onlyRunning?: boolean;
}

export interface ClearPlanItem {
  run: DagRunRow;
  tis: TaskInstanceRow[];
}

/** The task ids a selection names, grown by their upstream and downstream tasks when asked (DAG.partial_subset). */
export function selectTaskIds(dag: DagSpec, ids: readonly string[], upstream: boolean, downstream: boolean): Set<string> {
  const out = new Set(ids);
  for (const id of ids) {
    if (!dag.tasks.some((t) => t.taskId === id)) continue;
    if (upstream) for (const a of ancestors(dag, id)) out.add(a);
    if (downstream) for (const d of descendants(dag, id)) out.add(d);
  }
  return out;
}

/** Does a task instance in `state` pass the only_failed / only_running filters? */
export function passesStateFilter(state: TaskState, o: Pick<ClearSelection, 'onlyFailed' | 'onlyRunning'>): boolean {
  if (o.onlyFailed && state !== 'failed' && state !== 'upstream_failed') return false;
  if (o.onlyRunning && state !== 'running') return false;
  return true;
}

/** What a clear would touch, run by run (newest logical date first); runs with nothing to clear are left out. */
export function planClear(store: Store, dag: DagSpec, sel: ClearSelection): ClearPlanItem[] {
  let from = sel.from?.toISOString();
  let to = sel.to?.toISOString();
  let runIds = sel.runIds;
  if (runIds?.length === 1 && (sel.includePast || sel.includeFuture)) {
    // Airflow turns dag_run_id into a logical-date range [d, d], then drops the bound that past / future opens.
    const run = store.runs.get(dag.dagId, runIds[0]);
    if (run) {
      runIds = undefined;
      from = sel.includePast ? from : run.logical_date;
      to = sel.includeFuture ? to : run.logical_date;
    }
  }
  const ids = sel.taskIds ? selectTaskIds(dag, sel.taskIds, !!sel.includeUpstream, !!sel.includeDownstream) : undefined;
  const wanted = (t: TaskInstanceRow) => (!ids || ids.has(t.task_id)) && (!sel.taskRegex || sel.taskRegex.test(t.task_id)) && passesStateFilter(t.state, sel);
  return store.runs
    .list({ dagId: dag.dagId })
    .filter((r) => (!runIds || runIds.includes(r.run_id)) && (!from || r.logical_date >= from) && (!to || r.logical_date <= to))
    .map((run) => ({ run, tis: store.tis.forRun(dag.dagId, run.run_id).filter(wanted) }))
    .filter((p) => p.tis.length);
}

/** Clear what `plan` lists in one transaction, recording who did it; returns how many task instances were cleared. */
export function applyClear(store: Store, dag: DagSpec, plan: ClearPlanItem[], o: { resetDagRuns?: boolean; user?: string } = {}): number {
  const retries = (id: string) => dag.tasks.find((t) => t.taskId === id)?.retries ?? 0;
  return store.tx(() => {
    let n = 0;
    for (const p of plan) {
      const taskIds = p.tis.map((t) => t.task_id);
      n += store.runs.clear(dag.dagId, p.run.run_id, retries, taskIds, o.resetDagRuns ?? true);
      store.events.add({ event: 'clear', dagId: dag.dagId, runId: p.run.run_id, executionDate: p.run.logical_date, owner: o.user, extra: { tasks: taskIds } });
    }
    return n;
  });
}

/** Plan and apply in one transaction (nothing can change in between); returns the task instances as they now are. */
export function clearTasks(store: Store, dag: DagSpec, sel: ClearSelection, o: { resetDagRuns?: boolean; user?: string } = {}): ClearPlanItem[] {
  return store.tx(() => {
    const plan = planClear(store, dag, sel);
    applyClear(store, dag, plan, o);
    return plan.map((p) => ({
      run: store.runs.get(dag.dagId, p.run.run_id)!,
      tis: p.tis.map((t) => store.tis.get({ dagId: t.dag_id, runId: t.run_id, taskId: t.task_id })!),
    }));
  });
}
