// Run ids and Airflow's datetime strings: `DagRunType.generate_run_id` = f"{type}__{logical_date.isoformat()}".
import type { RunType } from '../types.js';
import { checkName } from '../dag/names.js';

const RUN_TYPES: readonly RunType[] = ['scheduled', 'manual', 'backfill'];

/** Python's `datetime.isoformat()` of a UTC instant: `2024-01-01T00:00:00+00:00`, microseconds only when non-zero. */
export function toAirflowIso(d: Date): string {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const ms = d.getUTCMilliseconds();
  return `${iso.slice(0, 19)}${ms ? `.${String(ms * 1000).padStart(6, '0')}` : ''}+00:00`;
}

/** A generated run id; always a valid name (checked, as every run id that reaches a log path must be). */
export function runId(type: RunType, logicalDate: Date): string {
  const id = `${type}__${toAirflowIso(logicalDate)}`;
  const problem = checkName('run id', id);
  if (problem) throw new Error(`generated an invalid ${problem}`);
  return id;
}

/** `DagRunType.from_run_id`: the prefix before `__`; anything unknown is a manual run. */
export function parseRunType(id: string): RunType {
  const i = id.indexOf('__');
  const prefix = i >= 0 ? id.slice(0, i) : '';
  return (RUN_TYPES as readonly string[]).includes(prefix) ? (prefix as RunType) : 'manual';
}
