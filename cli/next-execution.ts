// `dag next-execution`: the next N runs the scheduler would create, from the last automated run in the state database.
import type { Loaded } from './context.js';
import { wholeFlag } from './flags.js';

/** Computing a run is cheap, but millions of them take minutes and print nothing until the end: ask for fewer. */
export const MAX_NEXT_EXECUTIONS = 1000;
import type { DagSpec } from '../engine/types.js';
import { nextExecutions, parseRunDate, timeRestriction, runId, toAirflowIso } from '../engine/schedule/index.js';

export function nextExecutionRows(l: Loaded, dag: DagSpec, rawN: string, rawNow?: string) {
  const n = wholeFlag('-n', rawN, { min: 1, max: MAX_NEXT_EXECUTIONS, example: 10 });
  const now = rawNow !== undefined ? parseRunDate(rawNow, 'UTC', '--now') : new Date();
  const last = l.store.runs.lastAutomated(dag.dagId);
  const lastInterval = last?.data_interval_start && last.data_interval_end ? { start: new Date(last.data_interval_start), end: new Date(last.data_interval_end) } : null;
  return nextExecutions(dag.schedule, dag.timezone, timeRestriction(dag), lastInterval, now, n).map((info) => ({
    run_id: runId('scheduled', info.logicalDate),
    logical_date: toAirflowIso(info.logicalDate),
    data_interval_start: toAirflowIso(info.dataInterval.start),
    data_interval_end: toAirflowIso(info.dataInterval.end),
    run_after: toAirflowIso(info.runAfter),
  }));
}
