// The `job` table: every long-running process (a scheduler, a `dag run`, a backfill) with its heartbeat, so others
// can tell a live process from a dead one (Airflow's SchedulerJob / LocalTaskJob rows).
import os from 'node:os';
import { statementCache, type Db, type Sql } from './db.js';
import { iso, type JobRow } from './rows.js';

export type JobType = 'SchedulerJob' | 'RunJob' | 'BackfillJob';

export class JobRepo {
  private readonly sql: Sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  start(jobType: JobType, dagId: string | null = null): number {
    const t = iso();
    return Number(
      this.sql(`INSERT INTO job (dag_id, state, job_type, start_date, latest_heartbeat, executor_class, hostname, unixname, pid)
                       VALUES (?, 'running', ?, ?, ?, 'LocalExecutor', ?, ?, ?)`)
        .run(dagId, jobType, t, t, os.hostname(), process.env.USER ?? null, process.pid).lastInsertRowid,
    );
  }

  heartbeat(id: number, now = new Date()): void {
    this.sql('UPDATE job SET latest_heartbeat = ? WHERE id = ?').run(iso(now), id);
  }

  /** The job is over: it drives no run any more (its claims are released with it). */
  end(id: number, state: 'success' | 'failed' = 'success'): void {
    this.db.transaction(() => {
      this.sql('UPDATE job SET state = ?, end_date = ? WHERE id = ?').run(state, iso(), id);
      this.sql('UPDATE dag_run SET driver_job_id = NULL WHERE driver_job_id = ?').run(id);
    })();
  }

  get(id: number): JobRow | undefined {
    return this.sql('SELECT * FROM job WHERE id = ?').get(id) as JobRow | undefined;
  }

  running(jobType?: JobType): JobRow[] {
    return this.sql(`SELECT * FROM job WHERE state = 'running' AND (@type IS NULL OR job_type = @type) ORDER BY id`)
      .all({ type: jobType ?? null }) as JobRow[];
  }

  latest(jobType: JobType): JobRow | undefined {
    return this.sql('SELECT * FROM job WHERE job_type = ? ORDER BY latest_heartbeat DESC LIMIT 1').get(jobType) as JobRow | undefined;
  }
}

/**
 * Is this job's process still there, and if not, why not? Same host: ask the OS whether the pid exists; any host:
 * a job that stopped heartbeating for `heartbeatThresholdMs` is dead even if its pid lives (hung, or the pid reused).
 */
export function jobLiveness(job: JobRow, heartbeatThresholdMs: number, now = new Date(), pidAlive = isPidAlive): { alive: true } | { alive: false; reason: string } {
  const who = `pid ${job.pid} on ${job.hostname}`;
  if (job.state !== 'running') return { alive: false, reason: `its process (${who}) ended (job ${job.id} ${job.state})` };
  const sameHost = job.hostname === os.hostname();
  if (sameHost && job.pid != null && !pidAlive(job.pid)) return { alive: false, reason: `its process (${who}) is gone` };
  if (now.getTime() - Date.parse(job.latest_heartbeat) >= heartbeatThresholdMs) {
    const state = sameHost ? 'is alive but stopped heartbeating' : 'stopped heartbeating';
    return { alive: false, reason: `its process (${who}) ${state} (last heartbeat ${job.latest_heartbeat})` };
  }
  return { alive: true };
}

export function isJobAlive(job: JobRow, heartbeatThresholdMs: number, now = new Date()): boolean {
  return jobLiveness(job, heartbeatThresholdMs, now).alive;
}

/** What a user calls the process behind a job, for messages: "`dag run` (pid 12 on host)". */
export function describeJob(job: JobRow): string {
  const what = job.job_type === 'SchedulerJob' ? 'the scheduler' : job.job_type === 'BackfillJob' ? '`dag backfill`' : '`dag run`';
  return `${what} (pid ${job.pid} on ${job.hostname}, started ${job.start_date})`;
}

export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
