// The run `dag run <dag> --date X` creates: logical date X, data interval from X to the schedule's next tick.
import { UserError, type ScheduleSpec } from '../types.js';
import { timetableFor } from './timetable.js';
import { exactInfo, intervalInfo, type DagRunInfo } from './types.js';
import { zoneFor } from './zone.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * `YYYY-MM-DD` is local midnight in the DAG's time zone; an ISO 8601 datetime with `Z` or an offset is that instant;
 * one without is wall-clock time in the DAG's time zone (a time skipped by DST moves forward, a repeated one is
 * its second occurrence, as Airflow localises naive times).
 */
export function parseRunDate(raw: string, timezone: string, flag = '--date'): Date {
  const s = raw.trim();
  const m = DATE.exec(s) ?? DATETIME.exec(s);
  const bad = () => new UserError(`${flag} '${raw}' is not a date: use YYYY-MM-DD or an ISO 8601 datetime`);
  if (!m) throw bad();
  const [y, mo, d, h = 0, mi = 0, sec = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const wall = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
  const check = new Date(wall);
  if (mo < 1 || mo > 12 || check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1 || h > 23 || mi > 59 || sec > 59) throw bad();
  const offset = m[8];
  if (!offset) return new Date(zoneFor(timezone).fromWall(wall));
  if (offset.toUpperCase() === 'Z') return new Date(wall);
  const digits = offset.slice(1).replace(':', '');
  const oh = Number(digits.slice(0, 2));
  const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (oh > 23 || om > 59) throw bad();
  const sign = offset[0] === '-' ? -1 : 1;
  return new Date(wall - sign * (oh * 60 + om) * 60_000);
}

/**
 * Logical date = the given instant; data interval = [instant, the first tick strictly after it) for cron,
 * [instant, instant + delta) for a timedelta; @once and none get Airflow's exact interval [instant, instant].
 * For an instant on a schedule boundary this is exactly what `iterDagRunInfosBetween(d, d)` yields.
 */
export function runForDate(schedule: ScheduleSpec, timezone: string, date: string, flag = '--date'): DagRunInfo {
  const at = parseRunDate(date, timezone, flag).getTime();
  const tt = timetableFor(schedule, timezone);
  return tt.kind === 'interval' ? intervalInfo(at, tt.getNext(at)) : exactInfo(at);
}
