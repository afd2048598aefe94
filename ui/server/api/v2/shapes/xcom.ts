// An `xcom` row (joined with its run) as Airflow 3's XComResponse, with its value for XComResponseNative /
// XComResponseString. Values are JSON text in the table: native gives the JSON value, stringify a string of it.
import type { XcomRow } from '../../../../../engine/state/xcom.js';
import type { DagRunRow } from '../../../../../engine/state/rows.js';
import { apiDate } from './dates.js';
import { runAfter } from './dag-run.js';

export interface XcomWithRun extends XcomRow {
  run_logical_date: string;
  run_type: DagRunRow['run_type'];
  run_data_interval_end: string | null;
}

/** Columns of an XCom listing: `x.*` plus what the response needs from its run `r`. */
export const XCOM_SELECT = 'x.*, r.logical_date AS run_logical_date, r.run_type AS run_type, r.data_interval_end AS run_data_interval_end';
export const XCOM_FROM = 'FROM xcom x JOIN dag_run r ON r.dag_id = x.dag_id AND r.run_id = x.run_id';

export function xcomResponse(row: XcomWithRun) {
  return {
    key: row.key,
    timestamp: apiDate(row.timestamp)!,
    logical_date: apiDate(row.run_logical_date),
    map_index: row.map_index,
    task_id: row.task_id,
    dag_id: row.dag_id,
    run_id: row.run_id,
    dag_display_name: row.dag_id,
    task_display_name: row.task_id,
    run_after: apiDate(runAfter({ run_type: row.run_type, data_interval_end: row.run_data_interval_end, logical_date: row.run_logical_date }))!,
  };
}

export function xcomValue(row: XcomRow): unknown {
  return row.value == null ? null : JSON.parse(row.value);
}

/** The value as XComResponseString gives it: strings as they are, anything else as JSON text. */
export function xcomString(row: XcomRow): string | null {
  const v = xcomValue(row);
  if (v === null) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}
