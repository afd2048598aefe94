// A `log` row (the audit trail) as Airflow 3's EventLogResponse; `extra` stays the JSON text it was stored as.
import type { EventLogRow } from '../../../../../engine/state/rows.js';
import { apiDate } from './dates.js';

export function eventLogResponse(row: EventLogRow) {
  return {
    event_log_id: row.id,
    when: apiDate(row.dttm)!,
    dag_id: row.dag_id,
    dag_display_name: row.dag_id,
    task_id: row.task_id,
    task_display_name: row.task_id,
    run_id: row.run_id,
    map_index: row.map_index,
    try_number: row.try_number,
    event: row.event,
    logical_date: apiDate(row.execution_date),
    owner: row.owner,
    extra: row.extra,
  };
}
