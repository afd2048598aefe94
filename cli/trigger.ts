// A manual run, as Airflow 2 makes one: logical date = the trigger time (or the one given), data interval = the last
// complete period before it, run id manual__<logical date>, state queued.
import type { Loaded } from './context.js';
import { UserError, type DagSpec } from '../engine/types.js';
import { inferManualDataInterval, parseRunDate, runId as makeRunId, toAirflowIso } from '../engine/schedule/index.js';
import { createRun, checkPools } from '../engine/run/prepare-run.js';

export function triggerRun(l: Loaded, dag: DagSpec, o: { conf: Record<string, unknown>; logicalDate?: string; runId?: string }) {
  const logical = o.logicalDate ? parseRunDate(o.logicalDate, dag.timezone, '--logical-date') : new Date(Math.floor(Date.now() / 1000) * 1000);
  if (dag.startDate && logical < dag.startDate) {
    throw new UserError(`--logical-date ${toAirflowIso(logical)} is before the DAG's start_date ${toAirflowIso(dag.startDate)}: pick a later date`);
  }
  checkPools(l.store, dag);
  const id = o.runId ?? makeRunId('manual', logical);
  if (l.store.runs.get(dag.dagId, id) || l.store.runs.byLogicalDate(dag.dagId, logical)) {
    throw new UserError(`a run of ${dag.dagId} with run id ${id} or logical date ${toAirflowIso(logical)} already exists: pass another --logical-date`);
  }
  const interval = inferManualDataInterval(dag.schedule, dag.timezone, logical);
  const row = l.store.tx(() => createRun(l.store, dag, { runId: id, logicalDate: logical, dataIntervalStart: interval.start, dataIntervalEnd: interval.end }, 'manual', o.conf, true));
  return {
    conf: o.conf,
    dag_id: row.dag_id,
    dag_run_id: row.run_id,
    data_interval_start: toAirflowIso(new Date(row.data_interval_start!)),
    data_interval_end: toAirflowIso(new Date(row.data_interval_end!)),
    external_trigger: true,
    logical_date: toAirflowIso(new Date(row.logical_date)),
    run_type: row.run_type,
    state: row.state,
  };
}
