// The `dag_run` table. A run and all its task instances are created in one transaction.
import { statementCache, type Db, type Sql } from './db.js';
import { iso, type DagRunRow } from './rows.js';
import type { DagRunState, RunType, TriggeredBy } from '../types.js';

export interface NewRun {
  dagId: string;
  runId: string;
  runType: RunType;
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  conf: Record<string, unknown>;
  externalTrigger: boolean;
  /** Default: from the run type (scheduled: timetable, backfill: backfill, manual: cli). */
  triggeredBy?: TriggeredBy;
  triggeringUserName?: string | null;
  /** False for a run triggered with `logical_date: null` (Airflow 3); its logicalDate is then its run_after. */
  hasLogicalDate?: boolean;
  note?: string | null;
}

const TRIGGERED_BY_RUN_TYPE: Record<RunType, TriggeredBy> = { scheduled: 'timetable', backfill: 'backfill', manual: 'cli' };

export interface NewTaskInstance {
  taskId: string;
  operator: string;
  pool: string;
  poolSlots: number;
  priorityWeight: number;
  maxTries: number;
}

/** Task instances of a run, state none and try 0 (at run creation, or for tasks added to the DAG since). */
export function insertTaskInstances(db: Db, dagId: string, runId: string, tasks: NewTaskInstance[]): void {
  const insert = db.prepare(`
    INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number, max_tries, pool, pool_slots, priority_weight, operator, updated_at)
    VALUES (?, ?, ?, NULL, 0, ?, ?, ?, ?, ?, ?)`);
  const now = iso();
  for (const t of tasks) insert.run(dagId, runId, t.taskId, t.maxTries, t.pool, t.poolSlots, t.priorityWeight, t.operator, now);
}

export class DagRunRepo {
  private readonly sql: Sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  create(run: NewRun, tasks: NewTaskInstance[]): DagRunRow {
    const now = iso();
    const insertRun = this.sql(`
      INSERT INTO dag_run (dag_id, run_id, run_type, logical_date, data_interval_start, data_interval_end, state, queued_at,
                           external_trigger, conf, updated_at, triggered_by, triggering_user_name, has_logical_date, note)
      VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?)`);
    // The task instances first: the change feed records a task instance insert only into a run that exists
    // (migration 11), so a new run is one change (its dag_run insert), not one per task.
    this.db.transaction(() => {
      insertTaskInstances(this.db, run.dagId, run.runId, tasks);
      insertRun.run(run.dagId, run.runId, run.runType, iso(run.logicalDate), iso(run.dataIntervalStart), iso(run.dataIntervalEnd), now,
        run.externalTrigger ? 1 : 0, JSON.stringify(run.conf), now, run.triggeredBy ?? TRIGGERED_BY_RUN_TYPE[run.runType],
        run.triggeringUserName ?? null, run.hasLogicalDate === false ? 0 : 1, run.note ?? null);
    })();
    return this.get(run.dagId, run.runId)!;
  }

  get(dagId: string, runId: string): DagRunRow | undefined {
    return this.sql('SELECT * FROM dag_run WHERE dag_id = ? AND run_id = ?').get(dagId, runId) as DagRunRow | undefined;
  }

  byLogicalDate(dagId: string, logicalDate: Date): DagRunRow | undefined {
    return this.sql('SELECT * FROM dag_run WHERE dag_id = ? AND logical_date = ?').get(dagId, iso(logicalDate)) as DagRunRow | undefined;
  }

  list(filter: { dagId?: string; state?: DagRunState; limit?: number } = {}): DagRunRow[] {
    return this.db
      .prepare(`SELECT * FROM dag_run WHERE (@dag IS NULL OR dag_id = @dag) AND (@state IS NULL OR state = @state)
                ORDER BY logical_date DESC, id DESC LIMIT @limit`)
      .all({ dag: filter.dagId ?? null, state: filter.state ?? null, limit: filter.limit ?? -1 }) as DagRunRow[];
  }

  /** Runs of unfinished state across DAGs, oldest logical date first. */
  unfinished(state: 'queued' | 'running'): DagRunRow[] {
    return this.sql('SELECT * FROM dag_run WHERE state = ? ORDER BY last_scheduling_decision IS NOT NULL, logical_date')
      .all(state) as DagRunRow[];
  }

  countByState(dagId: string, states: DagRunState[]): number {
    return this.sql(`SELECT count(*) FROM dag_run WHERE dag_id = ? AND state IN (SELECT value FROM json_each(?))`)
      .pluck().get(dagId, JSON.stringify(states)) as number;
  }

  /** countByState without the runs of backfills, which count against their backfill's max_active_runs instead. */
  countOutsideBackfills(dagId: string, states: DagRunState[]): number {
    return this.sql(`SELECT count(*) FROM dag_run WHERE dag_id = ? AND backfill_id IS NULL AND state IN (SELECT value FROM json_each(?))`)
      .pluck().get(dagId, JSON.stringify(states)) as number;
  }

  /** The latest scheduled or backfill run (manual runs do not count for the timetable, as in Airflow). */
  lastAutomated(dagId: string): DagRunRow | undefined {
    return this.sql(`SELECT * FROM dag_run WHERE dag_id = ? AND run_type IN ('scheduled', 'backfill')
                            ORDER BY data_interval_end DESC, logical_date DESC LIMIT 1`).get(dagId) as DagRunRow | undefined;
  }

  lastScheduled(dagId: string): DagRunRow | undefined {
    return this.sql(`SELECT * FROM dag_run WHERE dag_id = ? AND run_type = 'scheduled' ORDER BY logical_date DESC LIMIT 1`)
      .get(dagId) as DagRunRow | undefined;
  }

  previousSuccess(dagId: string, logicalDate: string): DagRunRow | undefined {
    return this.sql(`SELECT * FROM dag_run WHERE dag_id = ? AND state = 'success' AND logical_date < ?
                            ORDER BY logical_date DESC LIMIT 1`).get(dagId, logicalDate) as DagRunRow | undefined;
  }

  /** Move a run to a new state, stamping start_date when it starts and end_date when it finishes. */
  setState(dagId: string, runId: string, state: DagRunState, now = new Date()): void {
    const t = iso(now);
    this.sql(`
      UPDATE dag_run SET state = @state,
        start_date = CASE WHEN @state = 'running' THEN coalesce(start_date, @t) ELSE start_date END,
        end_date = CASE WHEN @state IN ('success', 'failed') THEN @t WHEN @state IN ('queued', 'running') THEN NULL ELSE end_date END,
        queued_at = CASE WHEN @state = 'queued' THEN @t ELSE queued_at END,
        driver_job_id = CASE WHEN @state IN ('success', 'failed') THEN NULL ELSE driver_job_id END,
        waiting_reason = CASE WHEN @state = 'queued' THEN waiting_reason ELSE NULL END,
        last_scheduling_decision = @t, updated_at = @t
      WHERE dag_id = @dag AND run_id = @run`).run({ state, t, dag: dagId, run: runId });
  }

  /**
   * Clear a run to run it again (Airflow's clear): the run goes back to queued with clear_number + 1 (unless
   * `resetRun` is false), and its task instances (all, or those in `taskIds`) to none with a fresh set of retries.
   */
  clear(dagId: string, runId: string, retriesOf: (taskId: string) => number, taskIds?: string[], resetRun = true): number {
    const t = iso();
    let cleared = 0;
    this.db.transaction(() => {
      const tis = this.sql('SELECT task_id, try_number FROM task_instance WHERE dag_id = ? AND run_id = ?').all(dagId, runId) as {
        task_id: string;
        try_number: number;
      }[];
      const reset = this.sql(`UPDATE task_instance SET state = NULL, max_tries = ?, next_retry_at = NULL, interrupted_tries = 0, refunded_tries = 0, updated_at = ?
                                     WHERE dag_id = ? AND run_id = ? AND task_id = ?`);
      for (const ti of tis) {
        if (taskIds && !taskIds.includes(ti.task_id)) continue;
        reset.run(ti.try_number + retriesOf(ti.task_id), t, dagId, runId, ti.task_id);
        cleared++;
      }
      if (!resetRun) return;
      this.sql(`UPDATE dag_run SET state = 'queued', queued_at = ?, start_date = NULL, end_date = NULL,
                       last_scheduling_decision = NULL, clear_number = clear_number + 1, updated_at = ? WHERE dag_id = ? AND run_id = ?`)
        .run(t, t, dagId, runId);
    })();
    return cleared;
  }

  /**
   * Make `jobId` the run's driver if it is still driven by `expected` (compare-and-set): two processes that both saw
   * the run free cannot both win. Call inside an immediate transaction with the check that chose `expected`.
   */
  setDriver(dagId: string, runId: string, jobId: number, expected: number | null): boolean {
    return this.sql(`UPDATE dag_run SET driver_job_id = @jobId, waiting_reason = NULL, updated_at = @t
                     WHERE dag_id = @dag AND run_id = @run AND driver_job_id IS @expected`)
      .run({ jobId, expected, t: iso(), dag: dagId, run: runId }).changes === 1;
  }

  /** Why a queued run has not started yet (null: it is not waiting for anything). */
  setWaitingReason(dagId: string, runId: string, reason: string | null): void {
    this.sql('UPDATE dag_run SET waiting_reason = ? WHERE dag_id = ? AND run_id = ?').run(reason, dagId, runId);
  }

  setNote(dagId: string, runId: string, note: string | null): void {
    this.sql('UPDATE dag_run SET note = ?, updated_at = ? WHERE dag_id = ? AND run_id = ?').run(note, iso(), dagId, runId);
  }

  delete(dagId: string, runId: string): void {
    // The run's row first: its task instances' deletes are then not changes of their own (migration 11), the run's
    // delete says it all.
    this.db.transaction(() => {
      this.sql('DELETE FROM dag_run WHERE dag_id = ? AND run_id = ?').run(dagId, runId);
      for (const table of ['task_instance', 'task_instance_history', 'xcom']) {
        this.sql(`DELETE FROM ${table} WHERE dag_id = ? AND run_id = ?`).run(dagId, runId);
      }
    })();
  }
}
