// What an attempt knows about itself: the operator's TaskContextData and the template context's run facts, the same
// for the run loop and `dag tasks test`.
import { DateTime } from 'luxon';
import type { DagSpec, TaskSpec } from '../types.js';
import { toAirflowIso } from '../schedule/run-id.js';
import type { TemplateRunInfo } from '../template/index.js';
import type { DagRunRow, TaskInstanceRow } from '../state/rows.js';
import type { TaskContextData } from '../operators/api.js';

/** The logical date's calendar date in the DAG's time zone (windsock's ds_local). */
export function localDate(d: Date, timezone: string): string {
  // In UTC (the default time zone) without luxon: its first use initialises ICU's date formatting, 30-90 ms that
  // nothing else in a UTC DAG's run needs.
  const year = d.getUTCFullYear();
  if (timezone === 'UTC' && year >= 0 && year <= 9999) return d.toISOString().slice(0, 10);
  return DateTime.fromJSDate(d, { zone: timezone }).toISODate()!;
}

export function contextData(dag: DagSpec, run: DagRunRow, ti: TaskInstanceRow, home: string, dates = runDates(dag, run)): TaskContextData {
  const conf = JSON.parse(run.conf) as Record<string, unknown>;
  return {
    dagId: dag.dagId,
    taskId: ti.task_id,
    runId: run.run_id,
    runType: run.run_type,
    tryNumber: ti.try_number,
    maxTries: ti.max_tries,
    ...dates,
    timezone: dag.timezone,
    params: { ...dag.params, ...conf },
    conf,
    home,
  };
}

export type RunDates = Pick<TaskContextData, 'logicalDate' | 'dataIntervalStart' | 'dataIntervalEnd' | 'ds' | 'dsLocal'>;

/** The run's dates as an attempt sees them: the same for every task instance of the run (worked out once per run). */
export function runDates(dag: DagSpec, run: DagRunRow): RunDates {
  const logical = new Date(run.logical_date);
  return {
    logicalDate: toAirflowIso(logical),
    dataIntervalStart: toAirflowIso(new Date(run.data_interval_start ?? run.logical_date)),
    dataIntervalEnd: toAirflowIso(new Date(run.data_interval_end ?? run.logical_date)),
    ds: run.logical_date.slice(0, 10),
    dsLocal: localDate(logical, dag.timezone),
  };
}

/**
 * An object built on first use: the template context costs more than a no-op task, and most tasks' arguments have
 * no template to render. Reads, `in`, key listing and writes all go to the object once built.
 */
export function builtOnUse<T extends object>(build: () => T): T {
  let target: T | undefined;
  const real = () => (target ??= build());
  return new Proxy({} as T, {
    get: (_, k) => Reflect.get(real(), k),
    has: (_, k) => Reflect.has(real(), k),
    set: (_, k, v) => Reflect.set(real(), k, v),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_, k) => {
      const d = Reflect.getOwnPropertyDescriptor(real(), k);
      return d && { ...d, configurable: true }; // the proxy's own (empty) target has none of them
    },
  });
}

/** The run facts templates are rendered with (Airflow's context), for one attempt of `task` in `run`. */
export function templateRunInfo(dag: DagSpec, run: DagRunRow, task: TaskSpec, tryNumber: number, prevSuccess: { start: Date; end: Date } | null): TemplateRunInfo {
  return {
    dagId: dag.dagId,
    runId: run.run_id,
    runType: run.run_type,
    logicalDate: new Date(run.logical_date),
    dataIntervalStart: new Date(run.data_interval_start ?? run.logical_date),
    dataIntervalEnd: new Date(run.data_interval_end ?? run.logical_date),
    timezone: dag.timezone,
    conf: JSON.parse(run.conf) as Record<string, unknown>,
    params: dag.params,
    prevDataIntervalStartSuccess: prevSuccess?.start ?? null,
    prevDataIntervalEndSuccess: prevSuccess?.end ?? null,
    tryNumber,
    taskId: task.taskId,
    owner: task.owner,
    dagSummary: { dag_id: dag.dagId, tags: dag.tags, owner: dag.owner },
  };
}
