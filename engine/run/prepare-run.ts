// Getting a run ready to drive: create it with its task instances, resume it after a crash (Airflow's orphaned-task
// reset), or clear a finished one to run it again.
import type { DagSpec, RunType, TaskSpec } from '../types.js';
import type { NewRun, NewTaskInstance } from '../state/dag-runs.js';
import { UserError } from '../types.js';
import type { Store } from '../state/store.js';
import type { DagRunRow } from '../state/rows.js';
import { claimRun, heldError } from './run-ownership.js';
import { priorityWeights } from '../dag/graph.js';
import { engineSettings } from '../settings.js';

export interface RunInfo {
  runId: string;
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
}

export type PrepareAction = 'created' | 'resumed' | 'cleared' | 'unchanged';

/** Seconds without a heartbeat after which a job on another host counts as dead. */
export const JOB_HEARTBEAT_THRESHOLD_MS = engineSettings().jobDeadAfterMs;

/** The task instance rows for `tasks`, carrying Airflow's priority_weight_total (what they are ordered by). */
export function newTaskInstances(dag: DagSpec, tasks: TaskSpec[]): NewTaskInstance[] {
  const weights = priorityWeights(dag);
  return tasks.map((t) => ({ taskId: t.taskId, operator: t.operator, pool: t.pool, poolSlots: t.poolSlots, priorityWeight: weights.get(t.taskId)!, maxTries: t.retries }));
}

/** Who made a run and how, beyond its type (Airflow 3's triggered_by, triggering_user_name; a note). */
export type RunOrigin = Pick<NewRun, 'triggeredBy' | 'triggeringUserName' | 'hasLogicalDate' | 'note'>;

export function createRun(store: Store, dag: DagSpec, info: RunInfo, runType: RunType, conf: Record<string, unknown>, externalTrigger: boolean, origin: RunOrigin = {}): DagRunRow {
  const row = store.runs.create(
    { dagId: dag.dagId, runId: info.runId, runType, logicalDate: info.logicalDate, dataIntervalStart: info.dataIntervalStart,
      dataIntervalEnd: info.dataIntervalEnd, conf, externalTrigger, ...origin },
    newTaskInstances(dag, dag.tasks),
  );
  store.events.add({ event: 'dag_run_created', dagId: dag.dagId, runId: info.runId, executionDate: row.logical_date,
    owner: origin.triggeringUserName, extra: { run_type: runType, triggered_by: row.triggered_by } });
  return row;
}

/**
 * The run for `info`, ready to drive and claimed by `driverJobId`. A finished run is cleared (when `rerunFinished`),
 * an unfinished one has what a dead driver left running reset; a run with the same logical date but another id is
 * reused. A run another live process drives is refused with one line naming it.
 */
export function prepareRun(
  store: Store,
  dag: DagSpec,
  info: RunInfo,
  opts: { runType: RunType; conf: Record<string, unknown>; rerunFinished: boolean; rerunFailedOnly?: boolean; driverJobId: number; origin?: RunOrigin },
): { row: DagRunRow; action: PrepareAction; notes: string[] } {
  checkPools(store, dag);
  const claimed = (row: DagRunRow, action: PrepareAction) => {
    const claim = claimRun(store, row, opts.driverJobId);
    if (!claim.ok) throw heldError(row, claim.holder);
    return { row: store.runs.get(dag.dagId, row.run_id)!, action, notes: claim.notes };
  };
  return store.tx(() => {
    const existing = store.runs.get(dag.dagId, info.runId) ?? store.runs.byLogicalDate(dag.dagId, info.logicalDate);
    if (!existing) return claimed(createRun(store, dag, info, opts.runType, opts.conf, false, opts.origin), 'created');
    const retries = (taskId: string) => dag.tasks.find((t) => t.taskId === taskId)?.retries ?? 0;
    if (existing.state === 'success' || existing.state === 'failed') {
      if (!opts.rerunFinished && !(opts.rerunFailedOnly && existing.state === 'failed')) return { row: existing, action: 'unchanged' as const, notes: [] };
      const only = opts.rerunFailedOnly && !opts.rerunFinished
        ? store.tis.forRun(dag.dagId, existing.run_id).filter((t) => t.state === 'failed' || t.state === 'upstream_failed').map((t) => t.task_id)
        : undefined;
      store.runs.clear(dag.dagId, existing.run_id, retries, only);
      store.events.add({ event: 'clear', dagId: dag.dagId, runId: existing.run_id, executionDate: existing.logical_date });
      return claimed(store.runs.get(dag.dagId, existing.run_id)!, 'cleared');
    }
    return claimed(existing, 'resumed');
  });
}

export function checkPools(store: Store, dag: DagSpec): void {
  for (const t of dag.tasks) {
    if (store.pools.slots(t.pool) === undefined) {
      throw new UserError(`task '${t.taskId}' of DAG '${dag.dagId}' uses pool '${t.pool}', which does not exist: create it with dag pools set ${t.pool} SLOTS`);
    }
  }
}
