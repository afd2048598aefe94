// ScheduleSpec -> timetable, as Airflow 2's `create_timetable`: cron -> CronDataIntervalTimetable (in the DAG's time
// zone), timedelta -> DeltaDataIntervalTimetable, @once -> OnceTimetable, none -> NullTimetable.
// Instants are UTC milliseconds inside this folder; Dates only at the public edge.
import type { ScheduleSpec } from '../types.js';
import { cronTimetable } from './cron-timetable.js';
import { deltaTimetable } from './delta-timetable.js';

/** The helpers of Airflow's `_DataIntervalTimetable` (airflow/timetables/interval.py). */
export interface IntervalTimetable {
  readonly kind: 'interval';
  /** The first boundary strictly after `t`. */
  getNext(t: number): number;
  /** The last boundary strictly before `t`. */
  getPrev(t: number): number;
  /** `t` when it is a boundary, else the next one. */
  alignToNext(t: number): number;
  /** `t` when it is a boundary, else the previous one. */
  alignToPrev(t: number): number;
  /** catchup=False: where the first run may start given the clock. */
  skipToLatest(earliest: number | null, now: number): number;
  /** `infer_manual_data_interval`. */
  inferManual(runAfter: number): [number, number];
}

export type Timetable = IntervalTimetable | { readonly kind: 'once' } | { readonly kind: 'none' };

const cache = new Map<string, Timetable>();

export function timetableFor(schedule: ScheduleSpec, timezone: string): Timetable {
  const key = schedule.kind === 'cron' ? `cron|${timezone}|${schedule.expr}` : schedule.kind === 'delta' ? `delta|${schedule.seconds}` : schedule.kind;
  let tt = cache.get(key);
  if (!tt) {
    tt = build(schedule, timezone);
    cache.set(key, tt);
  }
  return tt;
}

function build(schedule: ScheduleSpec, timezone: string): Timetable {
  switch (schedule.kind) {
    case 'cron':
      return cronTimetable(schedule.expr, timezone);
    case 'delta':
      return deltaTimetable(schedule.seconds);
    case 'once':
      return { kind: 'once' };
    case 'none':
      return { kind: 'none' };
  }
}
