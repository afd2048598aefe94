// Why a task instance is not running yet, in words: the dependencies it fails, with the names of Airflow's ti_deps
// (TriggerRuleDep "Trigger Rule", DagrunRunningDep "Dagrun Running", DagUnpausedDep "Dag Not Paused",
// PoolSlotsAvailableDep "Pool Slots Available", DagTISlotsAvailableDep "Task Instance Slots Available",
// NotInRetryPeriodDep "Not In Retry Period", PrevDagrunDep "Previous Dagrun State"). As Airflow's GET
// .../dependencies, only a task instance waiting to run (none, scheduled, up_for_retry) has any.
import type { DagRunState, TaskSpec, TaskState } from '../types.js';
import { countUpstream, evaluateTriggerRule } from '../run/trigger-rules.js';

export interface DependencyFacts {
  state: TaskState;
  /** The task as the DAG file defines it now (undefined: gone from the DAG, or the file cannot be read). */
  task: TaskSpec | undefined;
  /** The states of its direct upstream task instances. */
  upstream: { taskId: string; state: TaskState }[];
  runState: DagRunState;
  dagPaused: boolean;
  pool: string;
  poolSlots: number;
  /** The pool's size (undefined: no such pool) and the slots taken in it. */
  poolSize: number | undefined;
  poolOccupied: number;
  /** Queued and running task instances of the DAG, and its max_active_tasks. */
  dagActive: number;
  maxActiveTasks: number;
  nextRetryAt: string | null;
  /** depends_on_past: the state of the task in the previous run (undefined: there is none). */
  previousState?: TaskState;
  now: Date;
}

export interface FailedDependency {
  name: string;
  reason: string;
}

const WAITING: ReadonlySet<TaskState> = new Set([null, 'scheduled', 'up_for_retry']);

export function failedDependencies(f: DependencyFacts): FailedDependency[] {
  if (!WAITING.has(f.state)) return [];
  const out: FailedDependency[] = [];
  if (f.runState !== 'running') out.push({ name: 'Dagrun Running', reason: `Task instance's dagrun was not in the 'running' state but in the state '${f.runState}'.` });
  if (f.dagPaused) out.push({ name: 'Dag Not Paused', reason: "Task's DAG is paused: unpause it to run its tasks." });
  if (!f.task) {
    out.push({ name: 'Task Exists', reason: 'The task is not in the DAG file (or the file cannot be read now): a task gone from the DAG is marked removed.' });
    return out;
  }
  if (f.state === 'up_for_retry' && f.nextRetryAt && Date.parse(f.nextRetryAt) > f.now.getTime()) {
    out.push({ name: 'Not In Retry Period', reason: `Task is not ready for retry yet but will be retried automatically. Current date is ${f.now.toISOString()} and task will be retried at ${f.nextRetryAt}.` });
  }
  if (f.state !== 'scheduled') {
    const decision = evaluateTriggerRule(f.task.triggerRule, countUpstream(f.upstream.map((u) => u.state)));
    if (decision.kind !== 'run') {
      const pending = f.upstream.filter((u) => u.state !== 'success').map((u) => `${u.taskId} (${u.state ?? 'none'})`);
      const then = decision.kind === 'propagate' ? ` It will be set ${decision.state}.` : '';
      out.push({ name: 'Trigger Rule', reason: `Task's trigger rule '${f.task.triggerRule}' is not met by its upstream tasks: ${pending.join(', ') || 'none'}.${then}` });
    }
  }
  if (f.task.dependsOnPast && f.previousState !== undefined && f.previousState !== 'success' && f.previousState !== 'skipped') {
    out.push({ name: 'Previous Dagrun State', reason: `depends_on_past is true for this task, but the previous task instance is in the state '${f.previousState ?? 'none'}' which is not a successful state.` });
  }
  if (f.poolSize === undefined) {
    out.push({ name: 'Pool Slots Available', reason: `Tasks using non-existent pool '${f.pool}' will not be scheduled: create the pool.` });
  } else if (f.poolSize !== -1 && f.poolSize - f.poolOccupied < f.poolSlots) {
    out.push({ name: 'Pool Slots Available', reason: `Not scheduling since there are ${Math.max(0, f.poolSize - f.poolOccupied)} open slots in pool ${f.pool} and require ${f.poolSlots} pool slots.` });
  }
  if (f.dagActive >= f.maxActiveTasks) {
    out.push({ name: 'Task Instance Slots Available', reason: `The maximum number of running tasks (${f.maxActiveTasks}) for this task's DAG has been reached.` });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
