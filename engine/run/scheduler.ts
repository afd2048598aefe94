// The scheduler daemon: keeps a DAGs folder running on schedule. Each tick it re-reads the DAGs folder when it has
// changed, creates due runs for unpaused DAGs, adopts runs whose driver died, starts queued runs within
// max_active_runs (saying why a run waits), reaps zombies and heartbeats. Task instances are scheduled and executed by
// the same run loop as `dag run`. Only one scheduler acts on a state database: a second one refuses to start while
// the first is alive; a run is driven by one process at a time (run-ownership.ts).
import type { DagSpec, ImportProblem } from '../types.js';
import { UserError } from '../types.js';
import type { Store } from '../state/store.js';
import type { DagRunRow } from '../state/rows.js';
import { isJobAlive } from '../state/jobs.js';
import type { RunLoop } from './run-loop.js';
import { dueRuns } from './run-creation.js';
import { createRun, JOB_HEARTBEAT_THRESHOLD_MS } from './prepare-run.js';
import { claimRun, liveHolder } from './run-ownership.js';
import { findZombies } from './zombies.js';
import { backfillWaitReason, completeFinishedBackfills } from '../service/backfill.js';
import { runId } from '../schedule/index.js';
import { logger } from '../log.js';

export interface SchedulerOptions {
  store: Store;
  loop: RunLoop;
  jobId: number;
  /** Parse the DAGs folder (and record import errors); called at start and whenever `changed()` says so. */
  loadDags(): { dags: DagSpec[]; problems: ImportProblem[] };
  /** Has the DAGs folder changed since the last load? */
  changed(): boolean;
  now?: () => Date;
  tickMs?: number;
  /** Re-read the folder at least this often even without a change signal. */
  reloadMs?: number;
  zombieThresholdMs?: number;
  say?: (msg: string) => void;
}

/** Refuse to start while another scheduler is alive on this database; register this one atomically. */
export function acquireSchedulerJob(store: Store): number {
  return store.tx(() => {
    for (const job of store.jobs.running('SchedulerJob')) {
      if (isJobAlive(job, JOB_HEARTBEAT_THRESHOLD_MS)) {
        throw new UserError(
          `another scheduler is running on this state database (pid ${job.pid} on ${job.hostname}, last heartbeat ${job.latest_heartbeat}): stop it first, or use another WINDSOCK_HOME`,
        );
      }
      store.jobs.end(job.id, 'failed'); // died without saying so (Airflow marks it failed too)
    }
    return store.jobs.start('SchedulerJob');
  });
}

export class Scheduler {
  private dags = new Map<string, DagSpec>();
  private timer?: NodeJS.Timeout;
  private lastLoad = 0;
  private lastZombieCheck = 0;
  private readonly driving = new Set<string>();
  /** Why each DAG creates no new run right now, as last logged. */
  private readonly notCreating = new Map<string, string>();
  private stopped = false;

  constructor(private readonly o: SchedulerOptions) {}

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  /** Tick until stopped; each tick adopts what a dead scheduler or a dead `dag run` / `dag backfill` left behind. */
  start(): void {
    this.reload();
    this.tick();
  }

  private reload(): void {
    const { dags } = this.o.loadDags();
    this.dags = new Map(dags.map((d) => [d.dagId, d]));
    this.lastLoad = Date.now();
  }

  private tick(): void {
    if (this.stopped) return;
    try {
      if (this.o.changed() || Date.now() - this.lastLoad > (this.o.reloadMs ?? 30_000)) this.reload();
      const now = this.now();
      this.createDueRuns(now);
      this.startQueuedRuns();
      for (const b of completeFinishedBackfills(this.o.store)) this.o.say?.(`backfill ${b.id} of ${b.dag_id} completed`);
      if (Date.now() - this.lastZombieCheck > 10_000) this.reapZombies(now);
      this.o.store.jobs.heartbeat(this.o.jobId);
    } catch (err) {
      // A loop that must survive turns a thrown error into a logged one.
      logger.error({ err }, 'scheduler tick failed');
      this.o.say?.(`scheduler tick failed: ${(err as Error).message}`);
    }
    this.timer = setTimeout(() => this.tick(), this.o.tickMs ?? 1000);
  }

  private createDueRuns(now: Date): void {
    const { store } = this.o;
    for (const dag of this.dags.values()) {
      const row = store.dags.get(dag.dagId);
      if (!row || row.is_paused || row.has_import_errors) continue;
      const last = store.runs.lastAutomated(dag.dagId);
      const lastInterval = last?.data_interval_start && last.data_interval_end ? { start: new Date(last.data_interval_start), end: new Date(last.data_interval_end) } : null;
      // Backfill runs do not hold the DAG's max_active_runs (Airflow 3: DagRun.active_runs_of_dags(exclude_backfill=True)).
      const active = store.runs.countOutsideBackfills(dag.dagId, ['queued', 'running']);
      const due = dueRuns(dag, lastInterval, active, now);
      this.noteCreation(dag, due.atMaxActiveRuns ? active + due.create.length : null);
      store.tx(() => {
        for (const info of due.create) {
          const id = runId('scheduled', info.logicalDate);
          if (store.runs.byLogicalDate(dag.dagId, info.logicalDate)) continue; // a backfill or manual run holds that date
          createRun(store, dag, { runId: id, logicalDate: info.logicalDate, dataIntervalStart: info.dataInterval.start, dataIntervalEnd: info.dataInterval.end }, 'scheduled', {}, false);
          this.o.say?.(`created ${dag.dagId} ${id}`);
        }
        const next = due.next;
        store.dags.setNextDagrun(dag.dagId, next ? { logicalDate: next.logicalDate, start: next.dataInterval.start, end: next.dataInterval.end, createAfter: due.atMaxActiveRuns ? null : next.runAfter } : null);
      });
    }
  }

  /** Log, once per change, that a DAG's next run is not created because max_active_runs runs are active. */
  private noteCreation(dag: DagSpec, active: number | null): void {
    const msg = active == null ? undefined
      : `${dag.dagId} has ${active} run(s) queued or running, its max_active_runs (${dag.maxActiveRuns}): the next run is created when one finishes`;
    if (msg === this.notCreating.get(dag.dagId)) return;
    if (msg) {
      this.notCreating.set(dag.dagId, msg);
      this.o.say?.(msg);
    } else this.notCreating.delete(dag.dagId);
  }

  /**
   * Running runs nobody alive drives are adopted (Airflow's adopt_or_reset_orphaned_tasks; backfill runs too, as
   * Airflow 3's scheduler runs backfills): a `dag run` killed mid-run must not hold a max_active_runs slot forever.
   * Queued runs start while fewer than max_active_runs of their DAG are running; one that cannot start says why.
   */
  private startQueuedRuns(): void {
    const { store } = this.o;
    const running = new Map<string, number>();
    for (const run of store.runs.unfinished('running')) {
      const dag = this.dags.get(run.dag_id);
      if (dag && !store.dags.isPaused(run.dag_id)) this.drive(dag, run);
    }
    for (const run of store.runs.unfinished('queued')) {
      if (this.driving.has(runKey(run))) continue;
      const dag = this.dags.get(run.dag_id);
      if (!dag) {
        this.waiting(run, `DAG ${run.dag_id} is not in the DAGs folder or has import errors (dag list-import-errors)`);
        continue;
      }
      if (store.dags.isPaused(run.dag_id)) {
        this.waiting(run, `DAG ${run.dag_id} is paused (dag unpause ${run.dag_id})`);
        continue;
      }
      if (liveHolder(store, run, this.o.jobId)) continue; // a `dag run` / `dag backfill` is about to start it
      if (run.backfill_id != null) {
        this.startBackfillRun(dag, run, running);
        continue;
      }
      const n = running.get(run.dag_id) ?? store.runs.countOutsideBackfills(run.dag_id, ['running']);
      if (n >= dag.maxActiveRuns) {
        const ids = store.runs.list({ dagId: run.dag_id, state: 'running', limit: 3 }).map((r) => r.run_id);
        this.waiting(run, `max_active_runs of ${run.dag_id} is ${dag.maxActiveRuns} and ${n} run(s) are running (${ids.join(', ')}${n > ids.length ? ', ...' : ''})`);
        continue;
      }
      if (this.drive(dag, run)) running.set(run.dag_id, n + 1);
    }
  }

  /**
   * A queued run of a backfill starts while its backfill is not paused and has fewer than its own max_active_runs
   * running (Airflow 3's scheduler counts backfill runs against the backfill, not the DAG).
   */
  private startBackfillRun(dag: DagSpec, run: DagRunRow, running: Map<string, number>): void {
    const b = this.o.store.backfills.get(run.backfill_id!);
    if (!b) return void this.drive(dag, run);
    const key = `backfill:${b.id}`;
    const n = running.get(key) ?? this.o.store.backfills.runningRuns(b.id);
    const reason = backfillWaitReason(b, n);
    if (reason) return this.waiting(run, reason);
    if (this.drive(dag, run)) running.set(key, n + 1);
  }

  /** Record (and log, once per change) why a queued run has not started. */
  private waiting(run: DagRunRow, reason: string): void {
    if (run.waiting_reason === reason) return;
    this.o.store.runs.setWaitingReason(run.dag_id, run.run_id, reason);
    this.o.say?.(`${run.dag_id} ${run.run_id} is queued and cannot start: ${reason}`);
  }

  /** Claim the run (resetting what a dead driver left) and drive it; false when another live process drives it. */
  private drive(dag: DagSpec, run: DagRunRow): boolean {
    const { store } = this.o;
    const key = runKey(run);
    if (this.driving.has(key)) return true;
    if (liveHolder(store, run, this.o.jobId)) return false; // cheap check first: most ticks change nothing
    const claim = store.tx(() => {
      const fresh = store.runs.get(run.dag_id, run.run_id);
      return fresh && (fresh.state === 'queued' || fresh.state === 'running') ? claimRun(store, fresh, this.o.jobId) : undefined;
    });
    if (!claim?.ok) return false;
    if (run.driver_job_id != null && run.driver_job_id !== this.o.jobId) this.o.say?.(`adopted ${run.dag_id} ${run.run_id}, whose driver (job ${run.driver_job_id}) is gone`);
    for (const n of claim.notes) this.o.say?.(n);
    this.driving.add(key);
    this.o.loop.drive(dag, run.run_id).then(
      (final) => {
        this.driving.delete(key);
        this.o.say?.(`${final.dag_id} ${final.run_id} ${final.state}`);
      },
      (err: Error) => {
        this.driving.delete(key);
        this.o.say?.(`could not drive ${run.dag_id} ${run.run_id}: ${err.message}`);
      },
    );
    return true;
  }

  /** As Airflow's scheduler does for zombies (airflow/jobs/scheduler_job_runner.py): running attempts of scheduler-owned runs whose process is gone or silent go through the failure path. */
  private reapZombies(now: Date): void {
    this.lastZombieCheck = Date.now();
    const { store } = this.o;
    // Only the runs this scheduler drives: a run whose driver died is adopted (and its attempts reset) instead.
    const zombies = findZombies(store, now, this.o.zombieThresholdMs ?? 300_000).filter((z) => z.driver_job_id === this.o.jobId);
    for (const z of zombies) {
      this.o.say?.(`Detected zombie job: ${z.dag_id}.${z.task_id} ${z.run_id} try ${z.try_number} (${z.reason})`);
      store.events.add({ event: 'heartbeat timeout', dagId: z.dag_id, taskId: z.task_id, runId: z.run_id, tryNumber: z.try_number, extra: { reason: z.reason } });
      const dag = this.dags.get(z.dag_id);
      this.o.loop.failZombie(dag, z);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}

const runKey = (run: DagRunRow) => `${run.dag_id}/${run.run_id}`;
