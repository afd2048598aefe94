// Marking task instances success, failed or skipped by hand: Airflow's set_state (api/common/mark_tasks.py) behind
// PATCH .../taskInstances/{task_id}. The task, with its upstream and / or downstream tasks when asked, in the run, and
// with past / future in every earlier / later run too; only instances not already in the state are altered. Then,
// as DAG.set_task_instance_state does, failed and upstream_failed instances downstream of the marked tasks are
// cleared, so a run that failed resumes past a task marked success.
import type { DagSpec, TaskState } from '../types.js';
import type { Store } from '../state/store.js';
import type { TaskInstanceRow } from '../state/rows.js';
import { applyClear, planClear, selectTaskIds } from './clear.js';
import { NotFoundError } from './errors.js';

/** The states a user may set on a task instance (Airflow 3's PatchTaskInstanceBody). */
export const MARKABLE_STATES = ['success', 'failed', 'skipped'] as const;
export type MarkableState = (typeof MARKABLE_STATES)[number];

export interface MarkRequest {
  runId: string;
  taskIds: string[];
  state: MarkableState;
  upstream?: boolean;
  downstream?: boolean;
  future?: boolean;
  past?: boolean;
}

/** The task instances a mark would alter (not those already in the state), oldest run first. */
export function planMark(store: Store, dag: DagSpec, req: MarkRequest): TaskInstanceRow[] {
  const run = store.runs.get(dag.dagId, req.runId);
  if (!run) throw new NotFoundError(`The DagRun with dag_id: \`${dag.dagId}\` and run_id: \`${req.runId}\` was not found`);
  const ids = selectTaskIds(dag, req.taskIds, !!req.upstream, !!req.downstream);
  const runs = store.runs
    .list({ dagId: dag.dagId })
    .filter((r) => r.run_id === run.run_id || (req.past && r.logical_date < run.logical_date) || (req.future && r.logical_date > run.logical_date))
    .reverse();
  return runs.flatMap((r) => store.tis.forRun(dag.dagId, r.run_id).filter((t) => ids.has(t.task_id) && t.state !== req.state));
}

/** Mark, in one transaction; returns the altered task instances as they now are. */
export function markTasks(store: Store, dag: DagSpec, req: MarkRequest, user?: string): TaskInstanceRow[] {
  return store.tx(() => {
    const altered = planMark(store, dag, req);
    const byRun = new Map<string, string[]>();
    for (const t of altered) {
      store.tis.mark({ dagId: t.dag_id, runId: t.run_id, taskId: t.task_id }, req.state);
      byRun.set(t.run_id, [...(byRun.get(t.run_id) ?? []), t.task_id]);
    }
    for (const [runId, tasks] of byRun) {
      const run = store.runs.get(dag.dagId, runId)!;
      store.events.add({ event: `mark_${req.state}`, dagId: dag.dagId, runId, executionDate: run.logical_date, owner: user, extra: { tasks } });
      // Resume what the marked tasks held back: their failed / upstream_failed downstream instances are cleared.
      const below = [...selectTaskIds(dag, tasks, false, true)].filter((id) => !tasks.includes(id));
      if (below.length) applyClear(store, dag, planClear(store, dag, { runIds: [runId], taskIds: below, onlyFailed: true }), { user });
    }
    return altered.map((t) => store.tis.get({ dagId: t.dag_id, runId: t.run_id, taskId: t.task_id })!);
  });
}

/** A task instance's note (null removes it). */
export function setTaskInstanceNote(store: Store, k: { dagId: string; runId: string; taskId: string }, note: string | null, user?: string): TaskInstanceRow | undefined {
  return store.tx(() => {
    if (!store.tis.get(k)) return undefined;
    store.tis.setNote(k, note);
    store.events.add({ event: 'set_task_instance_note', dagId: k.dagId, runId: k.runId, taskId: k.taskId, owner: user });
    return store.tis.get(k);
  });
}

/** For messages: `none` for null, as Airflow shows it. */
export const stateName = (s: TaskState) => s ?? 'none';
