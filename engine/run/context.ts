// What an attempt knows about itself: the operator's TaskContextData and the template context's run facts.
import { DateTime } from 'luxon';
import type { DagSpec, TaskSpec } from '../types.js';
import type { DagRunRow, TaskInstanceRow } from '../state/rows.js';
import type { TaskContextData } from '../operators/api.js';

/** Python's isoformat for a UTC instant: 2024-04-19T22:00:00+00:00 (microseconds only when non-zero). */
export function airflowIso(d: Date): string {
  const s = d.toISOString();
  const ms = s.slice(20, 23);
  return `${s.slice(0, 19)}${ms === '000' ? '' : `.${ms}000`}+00:00`;
}

/** The logical date's calendar date in the DAG's time zone (windsock's ds_local). */
export function localDate(d: Date, timezone: string): string {
  return DateTime.fromJSDate(d, { zone: timezone }).toISODate()!;
}

export function contextData(dag: DagSpec, run: DagRunRow, ti: TaskInstanceRow, home: string): TaskContextData {
  const logical = new Date(run.logical_date);
  const conf = JSON.parse(run.conf) as Record<string, unknown>;
  return {
    dagId: dag.dagId,
    taskId: ti.task_id,
    runId: run.run_id,
    runType: run.run_type,
    tryNumber: ti.try_number,
    maxTries: ti.max_tries,
    logicalDate: airflowIso(logical),
    dataIntervalStart: airflowIso(new Date(run.data_interval_start ?? run.logical_date)),
    dataIntervalEnd: airflowIso(new Date(run.data_interval_end ?? run.logical_date)),
    ds: run.logical_date.slice(0, 10),
    dsLocal: localDate(logical, dag.timezone),
    timezone: dag.timezone,
    params: { ...dag.params, ...conf },
    conf,
    home,
  };
}

export function taskOf(dag: DagSpec, taskId: string): TaskSpec | undefined {
  return dag.tasks.find((t) => t.taskId === taskId);
}
