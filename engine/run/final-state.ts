// The DagRun's final state, as Airflow's DagRun.update_state() decides it (airflow/models/dagrun.py): only leaves count
// (removed leaves are ignored), nothing may be unfinished, and a run stuck with nothing runnable is failed unless a
// task depends on the past (its previous run may still finish).
import { FINISHED_STATES, type TaskState } from '../types.js';

export interface TiSummary {
  taskId: string;
  state: TaskState;
}

export function isFinished(state: TaskState): boolean {
  return FINISHED_STATES.has(state);
}

/** Airflow's State.unfinished: none, scheduled, queued, running, up_for_retry, restarting (and the like). */
export function isUnfinished(state: TaskState): boolean {
  return !FINISHED_STATES.has(state);
}

export function finalRunState(args: {
  tis: TiSummary[];
  leafTaskIds: ReadonlySet<string>;
  /** Anything schedulable, any state changed this pass, or a retry waiting for its time (are_runnable_tasks). */
  anyRunnable: boolean;
  /** Some task of the DAG has depends_on_past, which disables the deadlock shortcut. */
  dependsOnPast: boolean;
}): 'success' | 'failed' | 'running' {
  const leaves = args.tis.filter((ti) => args.leafTaskIds.has(ti.taskId) && ti.state !== 'removed');
  const unfinished = args.tis.some((ti) => isUnfinished(ti.state));
  if (!unfinished && leaves.some((ti) => ti.state === 'failed' || ti.state === 'upstream_failed')) return 'failed';
  if (!unfinished && leaves.every((ti) => ti.state === 'success' || ti.state === 'skipped')) return 'success';
  const shouldSchedule = unfinished && !args.dependsOnPast;
  if (shouldSchedule && !args.anyRunnable) return 'failed'; // all_tasks_deadlocked
  return 'running';
}
