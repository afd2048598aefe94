// The `task_instance` table and its history. Every transition is one UPDATE; callers group the transitions of a
// scheduling pass in one transaction and commit it before acting on it.
import type { Db } from './db.js';
import { iso, type TaskInstanceHistoryRow, type TaskInstanceRow } from './rows.js';
import { FINISHED_STATES, type TaskState } from '../types.js';

export interface TiKey {
  dagId: string;
  runId: string;
  taskId: string;
}

export interface Attempt {
  hostname: string;
  pid: number;
  jobId: number | null;
}

export class TaskInstanceRepo {
  private readonly stmts;

  constructor(private readonly db: Db) {
    const where = 'WHERE dag_id = @dagId AND run_id = @runId AND task_id = @taskId AND map_index = -1';
    this.stmts = {
      get: db.prepare(`SELECT * FROM task_instance ${where}`),
      delete: ['task_instance_history', 'xcom', 'task_instance'].map((table) => db.prepare(`DELETE FROM ${table} ${where}`)),
      forRun: db.prepare('SELECT * FROM task_instance WHERE dag_id = ? AND run_id = ? ORDER BY task_id'),
      setState: db.prepare(`UPDATE task_instance SET state = @state, updated_at = @t ${where}`),
      queue: db.prepare(`UPDATE task_instance SET state = 'queued', queued_dttm = @t, queued_by_job_id = @jobId, updated_at = @t ${where}`),
      start: db.prepare(`UPDATE task_instance SET state = 'running', try_number = try_number + 1, start_date = @t, end_date = NULL,
                         duration = NULL, hostname = @hostname, unixname = @unixname, pid = @pid, job_id = @jobId,
                         next_retry_at = NULL, last_heartbeat_at = @t, updated_at = @t ${where} RETURNING *`),
      finish: db.prepare(`UPDATE task_instance SET state = @state, end_date = @t,
                          duration = (julianday(@t) - julianday(coalesce(start_date, @t))) * 86400.0,
                          next_retry_at = @nextRetryAt, interrupted_tries = 0, updated_at = @t ${where} RETURNING *`),
      finishAttempt: db.prepare(`UPDATE task_instance SET state = @state, end_date = @t,
                                 duration = (julianday(@t) - julianday(coalesce(start_date, @t))) * 86400.0,
                                 next_retry_at = @nextRetryAt, interrupted_tries = 0, updated_at = @t
                                 ${where} AND state = 'running' AND try_number = @tryNumber RETURNING *`),
      previousRun: db.prepare(`SELECT ti.state FROM dag_run r JOIN task_instance ti ON ti.dag_id = r.dag_id AND ti.run_id = r.run_id AND ti.task_id = @taskId
                               WHERE r.dag_id = @dagId AND r.logical_date < @before AND (NOT @skipManual OR r.run_type != 'manual')
                               ORDER BY r.logical_date DESC LIMIT 1`),
      runningWithRun: db.prepare(`SELECT ti.*, r.run_type, r.driver_job_id FROM task_instance ti
                                  JOIN dag_run r ON r.dag_id = ti.dag_id AND r.run_id = ti.run_id WHERE ti.state = 'running'`),
      propagate: db.prepare(`UPDATE task_instance SET state = @state, start_date = coalesce(start_date, @t), end_date = @t,
                             duration = 0, updated_at = @t ${where}`),
      history: db.prepare(`INSERT INTO task_instance_history (dag_id, run_id, task_id, try_number, state, start_date, end_date, duration, hostname, pid, job_id)
                           SELECT dag_id, run_id, task_id, try_number, state, start_date, end_date, duration, hostname, pid, job_id
                           FROM task_instance ${where}`),
      reset: db.prepare(`UPDATE task_instance SET state = NULL, max_tries = max_tries + @extraTries, refunded_tries = refunded_tries + @extraTries,
                         interrupted_tries = interrupted_tries + @interrupted, queued_by_job_id = NULL, updated_at = @t ${where}`),
      mark: db.prepare(`UPDATE task_instance SET state = @state, next_retry_at = NULL,
                        start_date = CASE WHEN @finished THEN coalesce(start_date, @t) ELSE start_date END,
                        end_date = CASE WHEN @finished THEN @t ELSE end_date END,
                        duration = CASE WHEN @finished THEN (julianday(@t) - julianday(coalesce(start_date, @t))) * 86400.0 ELSE duration END,
                        updated_at = @t ${where}`),
      note: db.prepare(`UPDATE task_instance SET note = @note, updated_at = @t ${where}`),
      heartbeat: db.prepare(`UPDATE task_instance SET last_heartbeat_at = @t WHERE job_id = @jobId AND state = 'running'`),
      occupied: db.prepare(`SELECT coalesce(sum(pool_slots), 0) FROM task_instance WHERE pool = ? AND state IN ('queued', 'running')`),
      activeForDag: db.prepare(`SELECT count(*) FROM task_instance WHERE dag_id = ? AND state IN ('queued', 'running')`),
    };
  }

  get(k: TiKey): TaskInstanceRow | undefined {
    return this.stmts.get.get(k) as TaskInstanceRow | undefined;
  }

  forRun(dagId: string, runId: string): TaskInstanceRow[] {
    return this.stmts.forRun.all(dagId, runId) as TaskInstanceRow[];
  }

  setState(k: TiKey, state: TaskState): void {
    this.stmts.setState.run({ ...k, state, t: iso() });
  }

  /** A state set by hand (Airflow's set_state): a finished state stamps end_date and the duration. */
  mark(k: TiKey, state: Exclude<TaskState, null>, now = new Date()): void {
    this.stmts.mark.run({ ...k, state, finished: FINISHED_STATES.has(state) ? 1 : 0, t: iso(now) });
  }

  setNote(k: TiKey, note: string | null): void {
    this.stmts.note.run({ ...k, note, t: iso() });
  }

  /** The task instance with its recorded tries and its XComs; false when there was none. */
  delete(k: TiKey): boolean {
    // history and XComs first, the task instance itself last: its count is the answer
    return this.db.transaction(() => this.stmts.delete.map((stmt) => stmt.run(k).changes).pop()! > 0)();
  }

  queue(k: TiKey, jobId: number | null): void {
    this.stmts.queue.run({ ...k, jobId, t: iso() });
  }

  /** running, try_number + 1; returns the row as it now is. */
  start(k: TiKey, a: Attempt, now = new Date()): TaskInstanceRow {
    return this.stmts.start.get({ ...k, hostname: a.hostname, unixname: process.env.USER ?? null, pid: a.pid, jobId: a.jobId, t: iso(now) }) as TaskInstanceRow;
  }

  /** End an attempt in a finished state or up_for_retry, and record it in the history; returns the row as it now is. */
  finish(k: TiKey, state: Exclude<TaskState, null>, now = new Date(), nextRetryAt: Date | null = null): TaskInstanceRow {
    const row = this.stmts.finish.get({ ...k, state, t: iso(now), nextRetryAt: nextRetryAt ? iso(nextRetryAt) : null }) as TaskInstanceRow;
    this.stmts.history.run(k);
    return row;
  }

  /**
   * End the attempt `tryNumber` if it is still the running one; undefined when the task instance was marked,
   * cleared or deleted meanwhile (what was set stands). Recorded in the history like finish().
   */
  finishAttempt(k: TiKey, tryNumber: number, state: Exclude<TaskState, null>, now = new Date(), nextRetryAt: Date | null = null): TaskInstanceRow | undefined {
    const row = this.stmts.finishAttempt.get({ ...k, tryNumber, state, t: iso(now), nextRetryAt: nextRetryAt ? iso(nextRetryAt) : null }) as TaskInstanceRow | undefined;
    if (row) this.stmts.history.run(k);
    return row;
  }

  /**
   * The task's instance in the DAG's latest run before `before` (for depends_on_past, airflow/ti_deps/deps/
   * prev_dagrun_dep.py); `skipManual` leaves manual runs out (a DAG with catchup). Undefined when there is none.
   */
  inPreviousRun(q: { dagId: string; taskId: string; before: string; skipManual: boolean }): { state: TaskState } | undefined {
    return this.stmts.previousRun.get({ ...q, skipManual: q.skipManual ? 1 : 0 }) as { state: TaskState } | undefined;
  }

  /** Every running task instance with its run's type and driving job (for zombie detection). */
  runningWithRun(): (TaskInstanceRow & { run_type: string; driver_job_id: number | null })[] {
    return this.stmts.runningWithRun.all() as (TaskInstanceRow & { run_type: string; driver_job_id: number | null })[];
  }

  /** A trigger rule's decision (skipped / upstream_failed) for a task that never ran. */
  propagate(k: TiKey, state: 'skipped' | 'upstream_failed', now = new Date()): void {
    this.stmts.propagate.run({ ...k, state, t: iso(now) });
  }

  /**
   * Back to none, so the task runs again (Airflow's orphaned-task reset). The interrupted attempt keeps its try
   * number and log, and max_tries grows by one so the crash does not use up a retry (refunded_tries says so).
   * `interrupted`: its runner died under it (not a clean stop), which counts towards the bound on such attempts.
   */
  reset(k: TiKey, opts: { refundTry: boolean; interrupted?: boolean }): void {
    this.stmts.reset.run({ ...k, extraTries: opts.refundTry ? 1 : 0, interrupted: opts.interrupted ? 1 : 0, t: iso() });
  }

  heartbeat(jobId: number, now = new Date()): void {
    this.stmts.heartbeat.run({ jobId, t: iso(now) });
  }

  /** Slots of `pool` taken by queued and running task instances, across every process. */
  occupiedSlots(pool: string): number {
    return this.stmts.occupied.pluck().get(pool) as number;
  }

  activeForDag(dagId: string): number {
    return this.stmts.activeForDag.pluck().get(dagId) as number;
  }

  /** Task instances in the given states across all runs (for orphan and zombie checks). */
  inStates(states: TaskState[]): TaskInstanceRow[] {
    return this.db.prepare(`SELECT * FROM task_instance WHERE state IN (SELECT value FROM json_each(?))`).all(JSON.stringify(states)) as TaskInstanceRow[];
  }

  /** Every recorded attempt of a task instance, oldest first (task_instance_history rows). */
  attempts(k: TiKey): TaskInstanceHistoryRow[] {
    return this.db.prepare(`SELECT * FROM task_instance_history WHERE dag_id = @dagId AND run_id = @runId AND task_id = @taskId ORDER BY id`).all(k) as TaskInstanceHistoryRow[];
  }

  history(k: TiKey): { try_number: number; state: string; start_date: string; end_date: string; hostname: string; pid: number }[] {
    return this.db.prepare(`SELECT try_number, state, start_date, end_date, hostname, pid FROM task_instance_history
                            WHERE dag_id = @dagId AND run_id = @runId AND task_id = @taskId ORDER BY id`).all(k) as never;
  }
}
