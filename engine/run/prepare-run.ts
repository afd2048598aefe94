// Getting a run ready to drive: create it with its task instances, resume it after a crash (Airflow's orphaned-task
// reset), or clear a finished one to run it again.
import type { DagSpec, RunType, TaskSpec } from '../types.js';
import type { NewTaskInstance } from '../state/dag-runs.js';
import { UserError } from '../types.js';
import type { Store } from '../state/store.js';
import type { DagRunRow } from '../state/rows.js';
import { isJobAlive } from '../state/jobs.js';
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

export function createRun(store: Store, dag: DagSpec, info: RunInfo, runType: RunType, conf: Record<string, unknown>, externalTrigger: boolean): DagRunRow {
  const row = store.runs.create(
    { dagId: dag.dagId, runId: info.runId, runType, logicalDate: info.logicalDate, dataIntervalStart: info.dataIntervalStart,
      dataIntervalEnd: info.dataIntervalEnd, conf, externalTrigger },
    newTaskInstances(dag, dag.tasks),
  );
  store.events.add({ event: 'dag_run_created', dagId: dag.dagId, runId: info.runId, executionDate: row.logical_date, extra: { run_type: runType } });
  return row;
}

/**
 * The run for `info`, ready to drive. A finished run is cleared (when `rerunFinished`), an unfinished one has its
 * orphaned task instances reset; a run with the same logical date but another id is reused.
 */
export function prepareRun(
  store: Store,
  dag: DagSpec,
  info: RunInfo,
  opts: { runType: RunType; conf: Record<string, unknown>; rerunFinished: boolean; rerunFailedOnly?: boolean },
): { row: DagRunRow; action: PrepareAction } {
  checkPools(store, dag);
  return store.tx(() => {
    const existing = store.runs.get(dag.dagId, info.runId) ?? store.runs.byLogicalDate(dag.dagId, info.logicalDate);
    if (!existing) return { row: createRun(store, dag, info, opts.runType, opts.conf, false), action: 'created' as const };
    const retries = (taskId: string) => dag.tasks.find((t) => t.taskId === taskId)?.retries ?? 0;
    if (existing.state === 'success' || existing.state === 'failed') {
      if (!opts.rerunFinished && !(opts.rerunFailedOnly && existing.state === 'failed')) return { row: existing, action: 'unchanged' as const };
      const only = opts.rerunFailedOnly && !opts.rerunFinished
        ? store.tis.forRun(dag.dagId, existing.run_id).filter((t) => t.state === 'failed' || t.state === 'upstream_failed').map((t) => t.task_id)
        : undefined;
      store.runs.clear(dag.dagId, existing.run_id, retries, only);
      store.events.add({ event: 'clear', dagId: dag.dagId, runId: existing.run_id, executionDate: existing.logical_date });
      return { row: store.runs.get(dag.dagId, existing.run_id)!, action: 'cleared' as const };
    }
    resetOrphans(store, existing);
    return { row: store.runs.get(dag.dagId, existing.run_id)!, action: 'resumed' as const };
  });
}

/**
 * Task instances left queued or running by a process that is gone go back to none, with their try refunded: the
 * crash is not the task's failure. Refuses when a live process is still running the run.
 */
export function resetOrphans(store: Store, run: DagRunRow, now = new Date()): number {
  let reset = 0;
  for (const ti of store.tis.forRun(run.dag_id, run.run_id)) {
    if (ti.state !== 'queued' && ti.state !== 'running' && ti.state !== 'scheduled' && ti.state !== 'restarting') continue;
    const job = ti.job_id != null ? store.jobs.get(ti.job_id) : ti.queued_by_job_id != null ? store.jobs.get(ti.queued_by_job_id) : undefined;
    if (job && isJobAlive(job, JOB_HEARTBEAT_THRESHOLD_MS, now) && job.pid !== process.pid) {
      throw new UserError(`run ${run.run_id} of ${run.dag_id} is being run by another process (pid ${job.pid} on ${job.hostname}): wait for it or stop it first`);
    }
    store.tis.reset({ dagId: run.dag_id, runId: run.run_id, taskId: ti.task_id }, { refundTry: ti.state === 'running' || ti.state === 'restarting' });
    store.events.add({ event: 'orphan_reset', dagId: run.dag_id, taskId: ti.task_id, runId: run.run_id, tryNumber: ti.try_number });
    reset++;
  }
  return reset;
}

export function checkPools(store: Store, dag: DagSpec): void {
  for (const t of dag.tasks) {
    if (store.pools.slots(t.pool) === undefined) {
      throw new UserError(`task '${t.taskId}' of DAG '${dag.dagId}' uses pool '${t.pool}', which does not exist: create it with dag pools set ${t.pool} SLOTS`);
    }
  }
}
