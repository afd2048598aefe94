// Triggering a manual run: what `dag trigger` and POST /api/v2/dags/{dag_id}/dagRuns both do. As Airflow makes one:
// logical date = the one given or the trigger time, data interval = the last complete period before it (or the one
// given), run id manual__<logical date>, state queued for the scheduler. Airflow 3 also allows a run with no logical
// date (`logical_date: null`): windsock runs it for its run_after, and says it has none.
import { UserError, type DagSpec, type TriggeredBy } from '../types.js';
import type { Store } from '../state/store.js';
import type { DagRunRow } from '../state/rows.js';
import { checkNotBeforeStart, inferManualDataInterval, runId as makeRunId, toAirflowIso } from '../schedule/index.js';
import { checkPools, createRun } from '../run/prepare-run.js';
import { checkName } from '../dag/names.js';
import { ConflictError } from './errors.js';

export interface TriggerRequest {
  conf?: Record<string, unknown>;
  /** A date; undefined: now (the CLI's default); null: no logical date (Airflow 3's API), run for run_after. */
  logicalDate?: Date | null;
  runId?: string;
  /** When the run may start; only without a logical date (default now). */
  runAfter?: Date;
  dataInterval?: { start: Date; end: Date };
  note?: string | null;
  triggeredBy: TriggeredBy;
  /** Who asked (the API user; the OS user for the CLI), recorded on the run and in the audit log. */
  user?: string;
  /** How the front door names its inputs, for the messages: `--run-id` / `dag_run_id`. */
  names?: { runId: string; logicalDate: string };
  /** The logical date as the user wrote it, for the messages. */
  logicalDateInput?: string;
}

const CLI_NAMES = { runId: '--run-id', logicalDate: '--logical-date' };

/** The run a trigger makes: its id, logical date and data interval, checked as the trigger checks them. */
export interface TriggerPlan {
  runId: string;
  logicalDate: Date;
  dataInterval: { start: Date; end: Date };
}

/**
 * What `triggerDagRun` would create now, or the error it would raise (a bad run id, a date before the DAG's start,
 * a missing pool, a clash with a run that exists): the admin UI's confirmation page shows it before the trigger.
 */
export function planTrigger(store: Store, dag: DagSpec, req: TriggerRequest): TriggerPlan {
  const names = req.names ?? CLI_NAMES;
  if (req.runId !== undefined) {
    const problem = checkName('run id', req.runId);
    if (problem) throw new UserError(`${names.runId}: ${problem}`);
  }
  const given = req.logicalDate ?? undefined;
  const start = given ?? req.runAfter ?? new Date();
  checkNotBeforeStart(dag, start, given ? `${names.logicalDate} ${req.logicalDateInput ?? toAirflowIso(given)}` : 'now');
  checkPools(store, dag);
  // "Now" to the millisecond, as Airflow keeps microseconds (manual__2024-04-20T10:00:00.123456+00:00), and moved
  // on by a millisecond while another run holds it: two triggers at the same instant are two runs, never a clash.
  let logical = start;
  while (!given && store.runs.byLogicalDate(dag.dagId, logical)) logical = new Date(logical.getTime() + 1);
  const id = req.runId ?? makeRunId('manual', logical);
  const clash = store.runs.get(dag.dagId, id) ?? store.runs.byLogicalDate(dag.dagId, logical);
  if (clash) {
    const what = clash.run_id === id ? `run id ${id}` : `logical date ${toAirflowIso(logical)} (run ${clash.run_id})`;
    const hint = req.runId !== undefined && clash.run_id === id ? `pass another ${names.runId}` : given ? `pass another ${names.logicalDate}` : 'trigger again';
    throw new ConflictError(`a run of ${dag.dagId} with ${what} already exists: ${hint}`);
  }
  return { runId: id, logicalDate: logical, dataInterval: req.dataInterval ?? inferManualDataInterval(dag.schedule, dag.timezone, logical) };
}

export function triggerDagRun(store: Store, dag: DagSpec, req: TriggerRequest): DagRunRow {
  // Planned and created in one immediate transaction, so two triggers racing cannot both pass the check.
  return store.tx(() => {
    const { runId: id, logicalDate: logical, dataInterval: interval } = planTrigger(store, dag, req);
    const row = createRun(store, dag, { runId: id, logicalDate: logical, dataIntervalStart: interval.start, dataIntervalEnd: interval.end }, 'manual', req.conf ?? {}, true, {
      triggeredBy: req.triggeredBy,
      triggeringUserName: req.user ?? null,
      hasLogicalDate: req.logicalDate !== null,
      note: req.note ?? null,
    });
    store.events.add({ event: 'trigger', dagId: dag.dagId, runId: id, executionDate: row.logical_date, owner: req.user, extra: { triggered_by: req.triggeredBy } });
    return row;
  });
}
