// v2 answers as v1's schemas (openapi-v1.yaml, Airflow 2.10): the fields v2 renamed (`logical_date` was
// `execution_date`, `is_stale` was the inverse of `is_active`, `timetable_summary` was `schedule_interval`), the ones
// v2 dropped (root_dag_id, is_subdag, pickle_id, sla_miss ...) answered with what Airflow 2 answers when there is
// nothing to say, and v2 additions left out. Pure functions over the v2 JSON.
import type { Json } from './adapter.js';

/** `1 day, 2:03:04[.000005]` (Python's str(timedelta), as the store keeps it) as v1's TimeDelta. */
function timeDelta(text: string): Json | null {
  const m = /^(?:(\d+) days?, )?(\d+):(\d\d):(\d\d)(?:\.(\d{6}))?$/.exec(text);
  if (!m) return null;
  return { __type: 'TimeDelta', days: Number(m[1] ?? 0), seconds: Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]), microseconds: Number(m[5] ?? 0) };
}

/** v1's ScheduleInterval: a TimeDelta, a CronExpression (presets and timetables too, as Airflow 2 sent them), or null. */
export function scheduleInterval(summary: string | null): Json | null {
  if (!summary || summary === 'None') return null;
  return timeDelta(summary) ?? { __type: 'CronExpression', value: summary };
}

export function dag(d: Json): Json {
  return {
    dag_id: d.dag_id,
    dag_display_name: d.dag_display_name,
    root_dag_id: null,
    is_paused: d.is_paused,
    is_active: !d.is_stale,
    is_subdag: false,
    last_parsed_time: d.last_parsed_time ?? null,
    last_pickled: null,
    last_expired: d.last_expired ?? null,
    scheduler_lock: null,
    pickle_id: null,
    default_view: 'grid',
    fileloc: d.fileloc,
    file_token: d.file_token,
    owners: d.owners,
    description: d.description ?? null,
    schedule_interval: scheduleInterval(d.timetable_summary ?? null),
    timetable_description: d.timetable_description ?? null,
    tags: (d.tags ?? []).map((t: Json) => ({ name: t.name })),
    max_active_tasks: d.max_active_tasks,
    max_active_runs: d.max_active_runs ?? null,
    has_task_concurrency_limits: d.has_task_concurrency_limits,
    has_import_errors: d.has_import_errors,
    next_dagrun: d.next_dagrun_logical_date ?? null,
    next_dagrun_data_interval_start: d.next_dagrun_data_interval_start ?? null,
    next_dagrun_data_interval_end: d.next_dagrun_data_interval_end ?? null,
    next_dagrun_create_after: d.next_dagrun_run_after ?? null,
    max_consecutive_failed_dag_runs: d.max_consecutive_failed_dag_runs,
  };
}

/** v2's ISO 8601 duration (`P1DT2H3M4S`, whole seconds) as v1's TimeDelta. */
function isoToTimeDelta(iso: string | null | undefined): Json | null {
  const m = iso ? /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso) : null;
  if (!m) return null;
  return { __type: 'TimeDelta', days: Number(m[1] ?? 0), seconds: Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0), microseconds: 0 };
}

/** Airflow 2's DAGDetailSchema: the DAG plus what only the parsed DAG knows. */
export function dagDetail(d: Json): Json {
  return {
    ...dag(d),
    timezone: d.timezone ?? null,
    catchup: d.catchup ?? null,
    orientation: 'LR',
    concurrency: d.max_active_tasks ?? null,
    start_date: d.start_date ?? null,
    dag_run_timeout: isoToTimeDelta(d.dag_run_timeout),
    dataset_expression: null,
    doc_md: d.doc_md ?? null,
    default_view: 'grid',
    params: d.params ?? {},
    end_date: d.end_date ?? null,
    is_paused_upon_creation: d.is_paused_upon_creation ?? null,
    last_parsed: d.last_parsed ?? null,
    template_search_path: d.template_search_path ?? null,
    render_template_as_native_obj: d.render_template_as_native_obj ?? false,
  };
}

/**
 * Airflow 2's TaskSchema: v2's TaskResponse without what v2 added (operator_name, params), `class_ref` naming the
 * operator, `retry_exponential_backoff` a boolean again, and BaseOperator's default colours where v2 says null
 * (v1's Color is not nullable).
 */
export function task(t: Json): Json {
  const { operator_name: operator, params: _params, ...rest } = t;
  return {
    ...rest,
    class_ref: { module_path: 'windsock.operators', class_name: operator },
    retry_exponential_backoff: Number(t.retry_exponential_backoff) > 0,
    ui_color: t.ui_color ?? '#fff',
    ui_fgcolor: t.ui_fgcolor ?? '#000',
    template_fields: t.template_fields ?? [],
    executor: null,
    extra_links: [],
  };
}

/** Airflow 2's PluginCollectionItem: the kinds Airflow 3 dropped answered empty. */
export function plugin(p: Json): Json {
  const kinds = ['hooks', 'executors', 'macros', 'flask_blueprints', 'appbuilder_views', 'appbuilder_menu_items', 'global_operator_extra_links', 'operator_extra_links', 'ti_deps', 'listeners', 'timetables'];
  return { name: p.name, source: p.source ?? null, ...Object.fromEntries(kinds.map((k) => [k, Array.isArray(p[k]) ? p[k] : []])) };
}

/** v2 run types v1 spells otherwise (asset_triggered was dataset_triggered). */
const RUN_TYPE: Record<string, string> = { asset_triggered: 'dataset_triggered', asset_materialization: 'dataset_triggered' };

export function dagRun(r: Json): Json {
  return {
    dag_run_id: r.dag_run_id,
    dag_id: r.dag_id,
    logical_date: r.logical_date ?? null,
    execution_date: r.logical_date ?? null,
    start_date: r.start_date ?? null,
    end_date: r.end_date ?? null,
    data_interval_start: r.data_interval_start ?? null,
    data_interval_end: r.data_interval_end ?? null,
    last_scheduling_decision: r.last_scheduling_decision ?? null,
    run_type: RUN_TYPE[r.run_type] ?? r.run_type,
    state: r.state,
    // Airflow 2's external_trigger: the run was not made by the timetable or a backfill.
    external_trigger: !['scheduled', 'backfill'].includes(r.run_type),
    conf: r.conf ?? {},
    note: r.note ?? null,
  };
}

export function taskInstance(ti: Json): Json {
  return {
    task_id: ti.task_id,
    task_display_name: ti.task_display_name ?? ti.task_id,
    dag_id: ti.dag_id,
    dag_run_id: ti.dag_run_id,
    execution_date: ti.logical_date ?? ti.run_after ?? null,
    start_date: ti.start_date ?? null,
    end_date: ti.end_date ?? null,
    duration: ti.duration ?? null,
    state: ti.state ?? null,
    try_number: ti.try_number,
    map_index: ti.map_index,
    max_tries: ti.max_tries,
    hostname: ti.hostname ?? '',
    unixname: ti.unixname ?? '',
    pool: ti.pool,
    pool_slots: ti.pool_slots,
    queue: ti.queue ?? null,
    priority_weight: ti.priority_weight ?? null,
    operator: ti.operator ?? null,
    queued_when: ti.queued_when ?? null,
    pid: ti.pid ?? null,
    executor: ti.executor ?? null,
    executor_config: ti.executor_config ?? '{}',
    sla_miss: null,
    rendered_map_index: ti.rendered_map_index ?? null,
    rendered_fields: ti.rendered_fields ?? {},
    trigger: null,
    triggerer_job: null,
    note: ti.note ?? null,
  };
}

export function taskInstanceReference(ti: Json): Json {
  return { task_id: ti.task_id, dag_id: ti.dag_id, execution_date: ti.logical_date ?? ti.run_after ?? null, dag_run_id: ti.dag_run_id ?? ti.run_id };
}

export function importError(e: Json): Json {
  return { import_error_id: e.import_error_id, timestamp: e.timestamp, filename: e.filename, stack_trace: e.stack_trace };
}

export function eventLog(e: Json): Json {
  return {
    event_log_id: e.event_log_id,
    when: e.when,
    dag_id: e.dag_id ?? null,
    task_id: e.task_id ?? null,
    run_id: e.run_id ?? null,
    map_index: e.map_index ?? null,
    try_number: e.try_number ?? null,
    event: e.event,
    execution_date: e.logical_date ?? null,
    owner: e.owner ?? null,
    extra: e.extra ?? null,
  };
}

export function pool(p: Json): Json {
  return {
    name: p.name,
    slots: p.slots,
    occupied_slots: p.occupied_slots,
    running_slots: p.running_slots,
    queued_slots: p.queued_slots,
    open_slots: p.open_slots,
    scheduled_slots: p.scheduled_slots,
    deferred_slots: p.deferred_slots,
    include_deferred: p.include_deferred,
  };
}

/** v1's Variable value is a string; v2's is any JSON value. */
export function variable(v: Json): Json {
  return { key: v.key, value: typeof v.value === 'string' ? v.value : JSON.stringify(v.value), description: v.description ?? null };
}

export function xcomItem(x: Json): Json {
  return { key: x.key, timestamp: x.timestamp, execution_date: x.logical_date ?? x.run_after, map_index: x.map_index, task_id: x.task_id, dag_id: x.dag_id };
}

/** A v1 log answer: v2's lines (strings, or structured messages with `event`) as one text. */
export function logText(content: Json[]): string {
  return content
    .map((l) => (typeof l === 'string' ? l : [l.timestamp ? `[${l.timestamp}]` : '', l.level ? `{${l.level}}` : '', l.event ?? ''].filter(Boolean).join(' ')))
    .join('\n');
}

/** A collection `{<key>: [...], total_entries}` with each item translated. */
export function collection(key: string, item: (x: Json) => Json, v2Key = key): (v2: Json) => Json {
  return (v2) => ({ [key]: (v2[v2Key] ?? []).map(item), total_entries: v2.total_entries ?? (v2[v2Key] ?? []).length });
}
