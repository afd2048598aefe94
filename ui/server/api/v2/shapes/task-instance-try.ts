// A task instance's tries as Airflow 3's TaskInstanceHistoryResponse: one per try number, from the attempts
// recorded in task_instance_history, the task instance itself standing for the try it is on (running now, or the
// latest, whose row is the most complete). A task instance that never ran has one entry, try 0.
import type { TaskInstanceHistoryRow, TaskInstanceRow } from '../../../../../engine/state/rows.js';
import { apiDate } from './dates.js';

export function taskInstanceTries(ti: TaskInstanceRow, attempts: TaskInstanceHistoryRow[]) {
  const byTry = new Map<number, TaskInstanceHistoryRow | TaskInstanceRow>();
  for (const a of attempts) byTry.set(a.try_number, a); // the last record of a try wins
  // The live row is that try's latest word unless it was cleared since (state none, the try already recorded).
  if (!byTry.has(ti.try_number) || ti.state !== null) byTry.set(ti.try_number, ti);
  return [...byTry.values()].sort((a, b) => a.try_number - b.try_number).map((t) => tryResponse(ti, t));
}

function tryResponse(ti: TaskInstanceRow, t: TaskInstanceHistoryRow | TaskInstanceRow) {
  return {
    task_id: ti.task_id,
    dag_id: ti.dag_id,
    dag_run_id: ti.run_id,
    map_index: ti.map_index,
    start_date: apiDate(t.start_date),
    end_date: apiDate(t.end_date),
    duration: t.duration,
    state: t.state,
    try_number: t.try_number,
    max_tries: ti.max_tries,
    task_display_name: ti.task_id,
    dag_display_name: ti.dag_id,
    hostname: t.hostname,
    unixname: ti.unixname,
    pool: ti.pool,
    pool_slots: ti.pool_slots,
    queue: ti.queue,
    priority_weight: ti.priority_weight,
    operator: ti.operator,
    operator_name: ti.operator,
    queued_when: t === ti ? apiDate(ti.queued_dttm) : null,
    scheduled_when: null,
    pid: t.pid,
    executor: null,
    executor_config: '{}',
    dag_version: null,
  };
}
