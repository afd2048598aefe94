// The scheduler daemon: keeps a DAGs folder running on schedule. Each tick it re-reads the DAGs folder when it has
// changed, creates due runs for unpaused DAGs, starts queued runs within max_active_runs, reaps zombies and
// heartbeats. Task instances are scheduled and executed by the same run loop as `dag run`.
// Only one scheduler acts on a state database: a second one refuses to start while the first is alive.
import type { DagSpec, ImportProblem } from '../types.js';
import { UserError } from '../types.js';
import type { Store } from '../state/store.js';
import type { DagRunRow } from '../state/rows.js';
import { isJobAlive } from '../state/jobs.js';
import type { RunLoop } from './run-loop.js';
import { dueRuns } from './run-creation.js';
import { createRun, resetOrphans, JOB_HEARTBEAT_THRESHOLD_MS } from './prepare-run.js';
import { findZombies } from './zombies.js';
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
  private stopped = false;

  constructor(private readonly o: SchedulerOptions) {}

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  /** Reset what a dead scheduler left behind, then tick until stopped. */
  start(): void {
    this.reload();
    this.adoptOrResetOrphans();
    this.tick();
  }

  private reload(): void {
    const { dags } = this.o.loadDags();
    this.dags = new Map(dags.map((d) => [d.dagId, d]));
    this.lastLoad = Date.now();
  }

  /** §10.3: task instances of runs the scheduler owns, left queued or running by a dead process, run again. */
  private adoptOrResetOrphans(): void {
    const { store } = this.o;
    for (const run of [...store.runs.unfinished('running'), ...store.runs.unfinished('queued')]) {
      if (run.run_type === 'backfill') continue; // backfills belong to `dag run` / `dag backfill`
      try {
        store.tx(() => resetOrphans(store, run));
      } catch (err) {
        this.o.say?.(`not resetting ${run.run_id}: ${(err as Error).message}`);
      }
    }
  }

  private tick(): void {
    if (this.stopped) return;
    try {
      if (this.o.changed() || Date.now() - this.lastLoad > (this.o.reloadMs ?? 30_000)) this.reload();
      const now = this.now();
      this.createDueRuns(now);
      this.startQueuedRuns();
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
      const due = dueRuns(dag, lastInterval, store.runs.countByState(dag.dagId, ['queued', 'running']), now);
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

  /** Queued scheduled and manual runs start while fewer than max_active_runs of their DAG are running. */
  private startQueuedRuns(): void {
    const { store } = this.o;
    const running = new Map<string, number>();
    for (const run of store.runs.unfinished('running')) this.driveIfOwned(run);
    for (const run of store.runs.unfinished('queued')) {
      if (run.run_type === 'backfill') continue;
      const dag = this.dags.get(run.dag_id);
      if (!dag || store.dags.isPaused(run.dag_id)) continue;
      const n = running.get(run.dag_id) ?? store.runs.countByState(run.dag_id, ['running']);
      if (n >= dag.maxActiveRuns) continue;
      running.set(run.dag_id, n + 1);
      this.drive(dag, run);
    }
  }

  private driveIfOwned(run: DagRunRow): void {
    if (run.run_type === 'backfill' || this.driving.has(`${run.dag_id}/${run.run_id}`)) return;
    const dag = this.dags.get(run.dag_id);
    if (dag && !this.o.store.dags.isPaused(run.dag_id)) this.drive(dag, run);
  }

  private drive(dag: DagSpec, run: DagRunRow): void {
    const key = `${run.dag_id}/${run.run_id}`;
    if (this.driving.has(key)) return;
    this.driving.add(key);
    this.o.loop.drive(dag, run.run_id).then(
      (final) => {
        this.driving.delete(key);
        this.o.say?.(`${final.dag_id} ${final.run_id} ${final.state}`);
      },
      (err: Error) => {
        this.driving.delete(key);
        this.o.say?.(`could not drive ${key}: ${err.message}`);
      },
    );
  }

  /** §10.2: running attempts of scheduler-owned runs whose process is gone or silent go through the failure path. */
  private reapZombies(now: Date): void {
    this.lastZombieCheck = Date.now();
    const { store } = this.o;
    const zombies = findZombies(store, now, this.o.zombieThresholdMs ?? 300_000).filter((z) => z.run_type !== 'backfill');
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
