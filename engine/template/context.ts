// The template context of one task attempt: Airflow's keys (TaskInstance.get_template_context; airflow.apache.org docs: templates-ref) plus
// windsock's local-date extensions. Dates are PyDateTime objects that render like pendulum's.
import { PyDateTime } from './py-datetime.js';
import { pyArgs } from './py-args.js';
import { macros } from './macros.js';
import { variables, type VariableStore } from './variables.js';

export interface TemplateRunInfo {
  dagId: string;
  runId: string;
  runType: string;
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  /** The DAG's IANA time zone (for ds_local, logical_date_local). */
  timezone: string;
  conf: Record<string, unknown>;
  params: Record<string, unknown>;
  prevDataIntervalStartSuccess: Date | null;
  prevDataIntervalEndSuccess: Date | null;
  tryNumber: number;
  taskId: string;
  owner?: string;
  dagSummary?: { dag_id: string; tags: string[]; owner: string };
  /**
   * The previous schedule's logical date, for the deprecated prev_ds / prev_execution_date. When absent, a
   * scheduled run uses logical_date minus the length of its data interval (exact for fixed-length intervals:
   * hourly, daily, timedelta schedules).
   */
  prevLogicalDate?: Date | null;
  /** The next schedule's logical date (next_ds); when absent, a scheduled run uses its data interval's end. */
  nextLogicalDate?: Date | null;
}

/** Reads XComs of the current run; synchronous (the state store is better-sqlite3). `key` null = any key. */
export interface XcomReader {
  pull(taskIds: string | string[] | undefined, key: string | null): unknown;
}

/** `ti` / `task_instance` in templates. */
class TaskInstanceView {
  readonly map_index = -1;

  constructor(
    readonly dag_id: string,
    readonly task_id: string,
    readonly run_id: string,
    readonly try_number: number,
    readonly execution_date: PyDateTime,
    private readonly xcom: XcomReader,
  ) {}

  /** ti.xcom_pull(task_ids=None, dag_id=None, key='return_value', include_prior_dates=False, map_indexes=None, default=None) */
  xcom_pull(...args: unknown[]): unknown {
    const a = pyArgs('xcom_pull', args, ['task_ids', 'dag_id', 'key', 'include_prior_dates', 'map_indexes', 'default'], {
      task_ids: null, dag_id: null, key: 'return_value', include_prior_dates: false, map_indexes: null, default: null,
    });
    if (a.dag_id !== null && a.dag_id !== this.dag_id) {
      throw new Error(`xcom_pull(dag_id='${String(a.dag_id)}'): windsock pulls XComs from the same DAG run only`);
    }
    if (a.include_prior_dates) throw new Error('xcom_pull(include_prior_dates=True) is not supported by windsock');
    const ids = a.task_ids === null ? undefined : Array.isArray(a.task_ids) ? a.task_ids.map(String) : String(a.task_ids);
    const value = this.xcom.pull(ids, a.key === null ? null : String(a.key));
    return value === undefined || value === null ? a.default : value;
  }

  toString(): string {
    return `<TaskInstance: ${this.dag_id}.${this.task_id} ${this.run_id} [running]>`;
  }
}

const dsOf = (d: PyDateTime) => d.strftime('%Y-%m-%d');

export function templateContext(run: TemplateRunInfo, xcom: XcomReader, env: NodeJS.ProcessEnv = process.env, metastore?: VariableStore): Record<string, unknown> {
  const logical = PyDateTime.from(run.logicalDate);
  const local = PyDateTime.from(run.logicalDate, run.timezone);
  const start = PyDateTime.from(run.dataIntervalStart);
  const end = PyDateTime.from(run.dataIntervalEnd);
  const ds = dsOf(logical);
  const dsNodash = ds.replace(/-/g, '');
  const ts = logical.isoformat();
  const dsLocal = dsOf(local);
  const owner = run.owner ?? run.dagSummary?.owner ?? 'airflow';
  const conf = run.conf ?? {};
  const manual = run.runType === 'manual';
  const intervalMs = run.dataIntervalEnd.getTime() - run.dataIntervalStart.getTime();
  const prev = manual ? logical : PyDateTime.from(run.prevLogicalDate ?? new Date(run.logicalDate.getTime() - intervalMs));
  const next = manual ? logical : PyDateTime.from(run.nextLogicalDate ?? run.dataIntervalEnd);
  const yesterday = logical.subtract({ days: 1, __keywords: true });
  const tomorrow = logical.add({ days: 1, __keywords: true });
  const ti = new TaskInstanceView(run.dagId, run.taskId, run.runId, run.tryNumber, logical, xcom);
  const orNull = (d: Date | null) => (d ? PyDateTime.from(d) : null);
  return {
    ds,
    ds_nodash: dsNodash,
    ts,
    ts_nodash: logical.strftime('%Y%m%dT%H%M%S'),
    ts_nodash_with_tz: ts.replace(/[-:]/g, ''),
    logical_date: logical,
    execution_date: logical,
    data_interval_start: start,
    data_interval_end: end,
    prev_data_interval_start_success: orNull(run.prevDataIntervalStartSuccess),
    prev_data_interval_end_success: orNull(run.prevDataIntervalEndSuccess),
    // Deprecated in Airflow 2.2 but still common in DAGs written for Airflow.
    prev_ds: dsOf(prev),
    prev_ds_nodash: dsOf(prev).replace(/-/g, ''),
    prev_execution_date: prev,
    next_ds: dsOf(next),
    next_ds_nodash: dsOf(next).replace(/-/g, ''),
    next_execution_date: next,
    yesterday_ds: dsOf(yesterday),
    yesterday_ds_nodash: dsOf(yesterday).replace(/-/g, ''),
    tomorrow_ds: dsOf(tomorrow),
    tomorrow_ds_nodash: dsOf(tomorrow).replace(/-/g, ''),
    // windsock: the logical date in the DAG's time zone (partitions of the Paris pipeline are local days).
    ds_local: dsLocal,
    ds_local_nodash: dsLocal.replace(/-/g, ''),
    logical_date_local: local,
    params: { ...run.params, ...conf }, // [core] dag_run_conf_overrides_params
    dag_run: {
      dag_id: run.dagId,
      run_id: run.runId,
      run_type: run.runType,
      conf,
      external_trigger: manual,
      logical_date: logical,
      execution_date: logical,
      data_interval_start: start,
      data_interval_end: end,
    },
    run_id: run.runId,
    dag: run.dagSummary ?? { dag_id: run.dagId, tags: [], owner },
    task: { task_id: run.taskId, dag_id: run.dagId, owner },
    ti,
    task_instance: ti,
    task_instance_key_str: `${run.dagId}__${run.taskId}__${dsNodash}`,
    macros,
    var: variables(env, metastore),
  };
}
