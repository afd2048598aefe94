// A manual run, as Airflow 2 makes one: logical date = the trigger time (or the one given), data interval = the last
// complete period before it, run id manual__<logical date>, state queued.
import type { Loaded } from './context.js';
import { UserError, type DagSpec } from '../engine/types.js';
import { checkNotBeforeStart, inferManualDataInterval, parseRunDate, runId as makeRunId, toAirflowIso } from '../engine/schedule/index.js';
import { createRun, checkPools } from '../engine/run/prepare-run.js';
import { requireName } from '../engine/dag/names.js';

export function triggerRun(l: Loaded, dag: DagSpec, o: { conf: Record<string, unknown>; logicalDate?: string; runId?: string }) {
  if (o.runId !== undefined) requireName('run id', o.runId, '--run-id');
  // Millisecond precision, as Airflow keeps microseconds (manual__2024-04-20T10:00:00.123456+00:00): two triggers in
  // the same second are two runs.
  const logical = o.logicalDate !== undefined ? parseRunDate(o.logicalDate, dag.timezone, '--logical-date') : new Date();
  checkNotBeforeStart(dag, logical, o.logicalDate !== undefined ? `--logical-date ${o.logicalDate}` : `the logical date ${toAirflowIso(logical)}`);
  checkPools(l.store, dag);
  const id = o.runId ?? makeRunId('manual', logical);
  const interval = inferManualDataInterval(dag.schedule, dag.timezone, logical);
  // Checked and created in one immediate transaction, so two triggers racing cannot both pass the check.
  const row = l.store.tx(() => {
    const clash = l.store.runs.get(dag.dagId, id) ?? l.store.runs.byLogicalDate(dag.dagId, logical);
    if (clash) {
      const what = clash.run_id === id ? `run id ${id}` : `logical date ${toAirflowIso(logical)} (run ${clash.run_id})`;
      const hint = o.runId !== undefined ? 'pass another --run-id' : o.logicalDate !== undefined ? 'pass another --logical-date' : 'trigger again';
      throw new UserError(`a run of ${dag.dagId} with ${what} already exists: ${hint}`);
    }
    return createRun(l.store, dag, { runId: id, logicalDate: logical, dataIntervalStart: interval.start, dataIntervalEnd: interval.end }, 'manual', o.conf, true);
  });
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
