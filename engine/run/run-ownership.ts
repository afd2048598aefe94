// Who drives a run. Exactly one process drives a DAG run at a time (a `dag run`, a `dag backfill` or the scheduler):
// it claims the run by writing its job id into dag_run.driver_job_id under SQLite's write lock, and the claim goes when
// the run finishes or the job ends. A claim whose job is dead (its process is gone, or it stopped heartbeating) can
// be taken over: the new driver first resets what the dead one left running, as Airflow's scheduler does in
// adopt_or_reset_orphaned_tasks.
import type { Store } from '../state/store.js';
import type { DagRunRow, JobRow } from '../state/rows.js';
import type { JobType } from '../state/jobs.js';
import { describeJob, jobLiveness } from '../state/jobs.js';
import { UserError } from '../types.js';
import { JOB_HEARTBEAT_THRESHOLD_MS } from './prepare-run.js';

/**
 * Attempts in a row whose runner died under them before the task is failed instead of run again: a task that kills
 * its own runner (runs it out of memory, say) would otherwise be retried forever, each crash giving its try back.
 */
export const MAX_INTERRUPTED_TRIES = 3;

export type Claim = { ok: true; notes: string[] } | { ok: false; holder: JobRow };

/**
 * The live job driving `run` other than `jobId`, if any: its driver, or (for runs claimed before drivers were
 * recorded) the live job of one of its unfinished task instances.
 */
export function liveHolder(store: Store, run: DagRunRow, jobId: number, now = new Date()): JobRow | undefined {
  const alive = (id: number | null) => {
    if (id == null || id === jobId) return undefined;
    const job = store.jobs.get(id);
    return job && jobLiveness(job, JOB_HEARTBEAT_THRESHOLD_MS, now).alive ? job : undefined;
  };
  const driver = alive(run.driver_job_id);
  if (driver) return driver;
  for (const ti of store.tis.forRun(run.dag_id, run.run_id)) {
    if (ti.state !== 'queued' && ti.state !== 'running' && ti.state !== 'restarting') continue;
    const job = alive(ti.job_id ?? ti.queued_by_job_id);
    if (job) return job;
  }
  return undefined;
}

/**
 * Claim an unfinished run for `jobId`, resetting what a dead driver left behind. Must run inside an immediate
 * transaction (Store.tx) so that the check and the claim are one step under the write lock.
 */
export function claimRun(store: Store, run: DagRunRow, jobId: number, now = new Date()): Claim {
  const holder = liveHolder(store, run, jobId, now);
  if (holder) return { ok: false, holder };
  const notes = resetOrphans(store, run, jobId, now);
  if (!store.runs.setDriver(run.dag_id, run.run_id, jobId, run.driver_job_id)) {
    // Changed since `run` was read: read it again (still under the lock) and decide on what is there now.
    const fresh = store.runs.get(run.dag_id, run.run_id)!;
    const again = liveHolder(store, fresh, jobId, now);
    if (again) return { ok: false, holder: again };
    store.runs.setDriver(fresh.dag_id, fresh.run_id, jobId, fresh.driver_job_id);
  }
  return { ok: true, notes };
}

/** The one-line refusal for a run someone else drives. */
export function heldError(run: DagRunRow, holder: JobRow): UserError {
  return new UserError(
    `run ${run.run_id} of ${run.dag_id} is already being run by ${describeJob(holder)}: wait for it to finish, or stop it (kill ${holder.pid}) and run this again`,
  );
}

/**
 * Register a driver job and make its claims in one transaction: if a claim is refused (`fn` throws), nothing is
 * recorded, not even the job.
 */
export function withDriverJob<T>(store: Store, jobType: JobType, dagId: string, fn: (jobId: number) => T): { jobId: number; result: T } {
  return store.tx(() => {
    const jobId = store.jobs.start(jobType, dagId);
    return { jobId, result: fn(jobId) };
  });
}

/**
 * Task instances left queued or running by a dead driver go back to none, so the run can go on. An attempt that was
 * running gets its try back (the crash is not the task's failure) unless it is the MAX_INTERRUPTED_TRIES-th in a row
 * to be interrupted: then it fails, saying so. Returns one line per task failed that way.
 */
export function resetOrphans(store: Store, run: DagRunRow, jobId: number | null, now = new Date()): string[] {
  const notes: string[] = [];
  for (const ti of store.tis.forRun(run.dag_id, run.run_id)) {
    if (ti.state !== 'queued' && ti.state !== 'running' && ti.state !== 'scheduled' && ti.state !== 'restarting') continue;
    if (jobId != null && (ti.job_id ?? ti.queued_by_job_id) === jobId && ti.state !== 'scheduled') continue; // ours
    const k = { dagId: run.dag_id, runId: run.run_id, taskId: ti.task_id };
    const interrupted = ti.state === 'running' || ti.state === 'restarting';
    if (interrupted && ti.interrupted_tries + 1 >= MAX_INTERRUPTED_TRIES) {
      const error = interruptedError(ti.try_number, ti.interrupted_tries + 1, ti.pid, ti.hostname);
      store.tis.finish(k, 'failed', now);
      store.events.add({ event: 'failed', dagId: run.dag_id, taskId: ti.task_id, runId: run.run_id, executionDate: run.logical_date, tryNumber: ti.try_number, extra: { error } });
      notes.push(`${run.dag_id}.${ti.task_id} ${run.run_id}: ${error}`);
      continue;
    }
    store.tis.reset(k, { refundTry: interrupted, interrupted });
    store.events.add({ event: 'orphan_reset', dagId: run.dag_id, taskId: ti.task_id, runId: run.run_id, tryNumber: ti.try_number });
  }
  return notes;
}

export function interruptedError(tryNumber: number, times: number, pid: number | null, host: string | null): string {
  return `attempt ${tryNumber} was interrupted ${times} times in a row (the process running it died, last pid ${pid} on ${host}): ` +
    'failed rather than run again; the attempt logs show how far each got (a task that runs its runner out of memory does this)';
}
