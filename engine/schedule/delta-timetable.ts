// Airflow 2's DeltaDataIntervalTimetable (airflow/timetables/interval.py): a fixed duration in absolute time, so
// no daylight-saving adjustment and no alignment to a grid; start dates are used as they are.
import type { IntervalTimetable } from './timetable.js';

export function deltaTimetable(seconds: number): IntervalTimetable {
  if (!(seconds > 0)) throw new Error(`schedule interval must be positive, not ${seconds} seconds`);
  const delta = seconds * 1000;
  return {
    kind: 'interval',
    getNext: (t) => t + delta,
    getPrev: (t) => t - delta,
    alignToNext: (t) => t,
    alignToPrev: (t) => t,
    // One interval ending exactly now.
    skipToLatest: (earliest, now) => (earliest === null ? now - delta : Math.max(now - delta, earliest)),
    inferManual: (runAfter) => [runAfter - delta, runAfter],
  };
}
