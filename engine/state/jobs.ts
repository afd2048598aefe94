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

  end(id: number, state: 'success' | 'failed' = 'success'): void {
    this.sql('UPDATE job SET state = ?, end_date = ? WHERE id = ?').run(state, iso(), id);
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

/** Is this job's process still there? Same host: ask the OS; another host: trust the heartbeat. */
export function isJobAlive(job: JobRow, heartbeatThresholdMs: number, now = new Date()): boolean {
  if (job.state !== 'running') return false;
  if (job.hostname === os.hostname() && job.pid != null && !isPidAlive(job.pid)) return false;
  return now.getTime() - Date.parse(job.latest_heartbeat) < heartbeatThresholdMs;
}

export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
