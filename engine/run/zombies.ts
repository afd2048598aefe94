// Zombie detection (as in airflow/jobs/scheduler_job_runner.py, _find_and_purge_zombies): a running task instance whose job's process is gone, whose job's process is alive
// but stopped heartbeating, or whose own heartbeat is older than the threshold.
import type { Store } from '../state/store.js';
import type { TaskInstanceRow } from '../state/rows.js';
import { jobLiveness } from '../state/jobs.js';
import { JOB_HEARTBEAT_THRESHOLD_MS } from './prepare-run.js';

export interface Zombie extends TaskInstanceRow {
  run_type: string;
  /** The job driving the zombie's run (the scheduler reaps only the runs it drives). */
  driver_job_id: number | null;
  reason: string;
}

export function findZombies(store: Store, now: Date, thresholdMs: number): Zombie[] {
  const rows = store.tis.runningWithRun();
  const zombies: Zombie[] = [];
  for (const ti of rows) {
    const job = ti.job_id != null ? store.jobs.get(ti.job_id) : undefined;
    let reason: string | null = null;
    if (!job) reason = 'no job runs it';
    else {
      const live = jobLiveness(job, JOB_HEARTBEAT_THRESHOLD_MS, now);
      if (!live.alive) reason = live.reason;
      else if (ti.last_heartbeat_at && now.getTime() - Date.parse(ti.last_heartbeat_at) > thresholdMs) reason = `no heartbeat since ${ti.last_heartbeat_at}`;
    }
    if (reason) zombies.push({ ...ti, reason });
  }
  return zombies;
}
