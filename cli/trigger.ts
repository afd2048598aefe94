// A manual run, as Airflow 2 makes one: logical date = the trigger time (or the one given), data interval = the last
// complete period before it, run id manual__<logical date>, state queued.
import type { Loaded } from './context.js';
import { UserError, type DagSpec } from '../engine/types.js';
import { checkNotBeforeStart, inferManualDataInterval, parseRunDate, runId as makeRunId, toAirflowIso } from '../engine/schedule/index.js';
import { createRun, checkPools } from '../engine/run/prepare-run.js';
import { requireName } from '../engine/dag/names.js';

export function triggerRun(l: Loaded, dag: DagSpec, o: { conf: Record<string, unknown>; logicalDate?: string; runId?: string }) {
  if (o.runId !== undefined) requireName('run id', o.runId, '--run-id');
  const given = o.logicalDate !== undefined ? parseRunDate(o.logicalDate, dag.timezone, '--logical-date') : undefined;
  checkNotBeforeStart(dag, given ?? new Date(), given ? `--logical-date ${o.logicalDate}` : 'now');
  checkPools(l.store, dag);
  // Checked and created in one immediate transaction, so two triggers racing cannot both pass the check.
  const row = l.store.tx(() => {
    // "Now" to the millisecond, as Airflow keeps microseconds (manual__2024-04-20T10:00:00.123456+00:00), and moved
    // on by a millisecond while another run holds it: two triggers at the same instant are two runs, never a clash.
    let logical = given ?? new Date();
    while (!given && l.store.runs.byLogicalDate(dag.dagId, logical)) logical = new Date(logical.getTime() + 1);
    const id = o.runId ?? makeRunId('manual', logical);
    const clash = l.store.runs.get(dag.dagId, id) ?? l.store.runs.byLogicalDate(dag.dagId, logical);
    if (clash) {
      const what = clash.run_id === id ? `run id ${id}` : `logical date ${toAirflowIso(logical)} (run ${clash.run_id})`;
      const hint = o.runId !== undefined && clash.run_id === id ? 'pass another --run-id' : given ? 'pass another --logical-date' : 'trigger again';
      throw new UserError(`a run of ${dag.dagId} with ${what} already exists: ${hint}`);
    }
    const interval = inferManualDataInterval(dag.schedule, dag.timezone, logical);
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
