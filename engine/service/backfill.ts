// Backfills: the decisions `dag backfill` and /api/v2/backfills share, after Airflow 3's airflow/models/backfill.py.
// The range gives the runs (every logical date in [from, to], catchup ignored, at most MAX_BACKFILL_RUNS); each
// date that already has a run is left alone, resumed or cleared according to the reprocess behaviour; a backfill
// is a `backfill` row its runs point at. The API only creates the row and its queued runs: the scheduler drives
// them within the backfill's max_active_runs while it is not paused, and completes the backfill when none is left.
import type { DagSpec, DagRunState } from '../types.js';
import { UserError } from '../types.js';
import type { Store } from '../state/store.js';
import type { BackfillRow, DagRunRow } from '../state/rows.js';
import type { DagRunInfo } from '../schedule/types.js';
import { checkNotBeforeStart, iterDagRunInfosBetween, runId, toAirflowIso } from '../schedule/index.js';
import { checkPools, createRun } from '../run/prepare-run.js';
import { ConflictError, NotFoundError } from './errors.js';

/**
 * The most runs one backfill creates. Airflow 3's backfill has none; here a mistyped end (9999-12-31) would create
 * millions of rows before the first task runs, so it is refused with the range to narrow.
 */
export const MAX_BACKFILL_RUNS = 10_000;

export type ReprocessBehavior = BackfillRow['reprocess_behavior'];

/** How the front door names the two ends in messages: `--from 2024-01-01` / `from_date 2024-01-01T00:00:00Z`. */
export interface RangeLabels {
  from: string;
  to: string;
}

export interface BackfillRange {
  infos: DagRunInfo[];
  /** The message when the range makes more than MAX_BACKFILL_RUNS runs (infos then holds the first ones); else null. */
  tooMany: string | null;
}

/** The runs of [from, to] (inclusive), checked against the DAG's start date and schedule. */
export function backfillRange(dag: DagSpec, from: Date, to: Date, labels: RangeLabels): BackfillRange {
  if (from > to) throw new UserError(`${labels.from} is after ${labels.to}: swap them`);
  if (dag.schedule.kind === 'none') throw new UserError(`DAG ${dag.dagId} has no schedule, so there is nothing to backfill: trigger runs of it instead`);
  if (dag.startDate && to < dag.startDate) throw new UserError(`${labels.to} is before the DAG's start_date ${toAirflowIso(dag.startDate)}: nothing to backfill`);
  checkNotBeforeStart(dag, from, labels.from);
  // One more than the cap: enough to tell a range that is too large without computing all of it.
  const infos = iterDagRunInfosBetween(dag.schedule, dag.timezone, from, to, undefined, MAX_BACKFILL_RUNS + 1);
  if (infos.length <= MAX_BACKFILL_RUNS) return { infos, tooMany: null };
  infos.pop();
  return {
    infos,
    tooMany: `${labels.from} ${labels.to} makes more than ${MAX_BACKFILL_RUNS} runs of ${dag.dagId}, the most one backfill makes: narrow the range or split it into several backfills`,
  };
}

export type BackfillDecision = 'create' | 'in-flight' | 'keep' | 'clear-failed-tasks' | 'clear-all-tasks';

/**
 * What a backfill does with a logical date, given the run already there (Airflow's _get_dag_run_no_create_reason):
 * none: create one; queued or running: in flight (left to its driver, or resumed by `dag backfill`); finished: kept,
 * unless the reprocess behaviour says to run it again (failed: a failed run's failed tasks; completed: every task
 * of a finished run).
 */
export function backfillDecision(existing: DagRunState | undefined, reprocess: ReprocessBehavior): BackfillDecision {
  if (existing === undefined) return 'create';
  if (existing === 'queued' || existing === 'running') return 'in-flight';
  if (reprocess === 'completed') return 'clear-all-tasks';
  if (reprocess === 'failed' && existing === 'failed') return 'clear-failed-tasks';
  return 'keep';
}

export interface BackfillRequest {
  dag: DagSpec;
  from: Date;
  to: Date;
  labels: RangeLabels;
  runBackwards?: boolean;
  conf: Record<string, unknown>;
  reprocess: ReprocessBehavior;
  maxActiveRuns: number;
  user?: string;
}

/** The runs a backfill would create or run again, oldest first unless backwards (POST /backfills/dry_run). */
export function dryRunBackfill(store: Store, r: BackfillRequest): DagRunInfo[] {
  const { infos, tooMany } = backfillRange(r.dag, r.from, r.to, r.labels);
  if (tooMany) throw new UserError(tooMany);
  const chosen = infos.filter((i) => {
    const d = backfillDecision(store.runs.byLogicalDate(r.dag.dagId, i.logicalDate)?.state, r.reprocess);
    return d === 'create' || d.startsWith('clear');
  });
  return r.runBackwards ? chosen.reverse() : chosen;
}

/** Clear a finished run for a backfill (`failed`: only its failed tasks) and attach it; the run is queued again. */
export function clearForBackfill(store: Store, dag: DagSpec, run: DagRunRow, decision: 'clear-failed-tasks' | 'clear-all-tasks', backfillId: number | null): void {
  const retries = (taskId: string) => dag.tasks.find((t) => t.taskId === taskId)?.retries ?? 0;
  const only = decision === 'clear-failed-tasks'
    ? store.tis.forRun(dag.dagId, run.run_id).filter((t) => t.state === 'failed' || t.state === 'upstream_failed').map((t) => t.task_id)
    : undefined;
  store.runs.clear(dag.dagId, run.run_id, retries, only);
  if (backfillId != null) store.backfills.attach(dag.dagId, run.run_id, backfillId);
  store.events.add({ event: 'clear', dagId: dag.dagId, runId: run.run_id, executionDate: run.logical_date, extra: { backfill_id: backfillId } });
}

/**
 * A backfill row and its queued runs, in one transaction (POST /backfills). One backfill at a time per DAG, as
 * Airflow (AlreadyRunningBackfill).
 */
export function createBackfill(store: Store, r: BackfillRequest): BackfillRow {
  const { infos, tooMany } = backfillRange(r.dag, r.from, r.to, r.labels);
  if (tooMany) throw new UserError(tooMany);
  checkPools(store, r.dag);
  const ordered = r.runBackwards ? [...infos].reverse() : infos;
  return store.tx(() => {
    const active = store.backfills.active(r.dag.dagId);
    if (active) throw new ConflictError(`Another backfill is running for dag ${r.dag.dagId} (backfill ${active.id}): there can be only one running backfill per dag`);
    const b = store.backfills.create({ dagId: r.dag.dagId, from: r.from, to: r.to, conf: r.conf, reprocessBehavior: r.reprocess, maxActiveRuns: r.maxActiveRuns, user: r.user });
    for (const info of ordered) {
      const existing = store.runs.byLogicalDate(r.dag.dagId, info.logicalDate);
      const decision = backfillDecision(existing?.state, r.reprocess);
      if (decision === 'create') {
        const row = createRun(store, r.dag, { runId: runId('backfill', info.logicalDate), logicalDate: info.logicalDate, dataIntervalStart: info.dataInterval.start, dataIntervalEnd: info.dataInterval.end }, 'backfill', r.conf, false);
        store.backfills.attach(r.dag.dagId, row.run_id, b.id);
      } else if (decision === 'clear-failed-tasks' || decision === 'clear-all-tasks') clearForBackfill(store, r.dag, existing!, decision, b.id);
    }
    store.events.add({ event: 'backfill_create', dagId: r.dag.dagId, owner: r.user, extra: { backfill_id: b.id, from_date: b.from_date, to_date: b.to_date } });
    return b;
  });
}

export function getBackfill(store: Store, id: number): BackfillRow {
  const b = store.backfills.get(id);
  if (!b) throw new NotFoundError(`Could not find backfill with id ${id}`);
  return b;
}

function openBackfill(store: Store, id: number): BackfillRow {
  const b = getBackfill(store, id);
  if (b.completed_at) throw new ConflictError(`Backfill ${id} is already completed`);
  return b;
}

/** Pause or unpause: a paused backfill starts no more runs (those running go on). */
export function setBackfillPaused(store: Store, id: number, paused: boolean, owner?: string): BackfillRow {
  return store.tx(() => {
    const b = openBackfill(store, id);
    store.backfills.setPaused(id, paused);
    store.events.add({ event: paused ? 'backfill_pause' : 'backfill_unpause', dagId: b.dag_id, owner, extra: { backfill_id: id } });
    return store.backfills.get(id)!;
  });
}

/**
 * Cancel (Airflow's _cancel_backfill): pause, fail the runs that have not started, and complete the backfill; runs
 * already running finish on their own.
 */
export function cancelBackfill(store: Store, id: number, owner?: string): BackfillRow {
  return store.tx(() => {
    const b = openBackfill(store, id);
    store.backfills.setPaused(id, true);
    const failed = store.backfills.failQueued(id);
    store.backfills.complete(id);
    store.events.add({ event: 'backfill_cancel', dagId: b.dag_id, owner, extra: { backfill_id: id, failed_runs: failed.length } });
    return store.backfills.get(id)!;
  });
}

/** Complete the backfills with no queued or running run left (the scheduler, each tick). Returns them. */
export function completeFinishedBackfills(store: Store, now = new Date()): BackfillRow[] {
  if (!store.backfills.finished().length) return []; // most ticks: no write transaction at all
  return store.tx(() => {
    const done = store.backfills.finished();
    for (const b of done) store.backfills.complete(b.id, now);
    return done;
  });
}

/** Why a queued run of a backfill may not start now, or null when it may (the scheduler). */
export function backfillWaitReason(b: BackfillRow, running: number): string | null {
  if (b.is_paused) return `its backfill ${b.id} is paused (PUT /api/v2/backfills/${b.id}/unpause)`;
  if (running >= b.max_active_runs) return `its backfill ${b.id} has max_active_runs ${b.max_active_runs} and ${running} run(s) running`;
  return null;
}
