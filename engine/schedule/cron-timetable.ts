// Airflow 2's CronDataIntervalTimetable (airflow/timetables/_cron.py CronMixin + interval.py), step for step.
// Cron runs on the naive wall clock of the DAG's time zone and the result is localised back:
// - schedules that fire at least every hour (hour field `*`) keep the real elapsed time: the result is `current`
//   plus the wall-clock distance to the fire time, so an hourly schedule fires every real hour through both DST
//   changes (23 runs on spring-forward day, 25 at the fold);
// - other schedules are localised with make_aware (fold=1): a fire time skipped by spring-forward moves forward
//   by the gap ("30 2 * * *" runs at 03:30 that day), one repeated at the fold runs at its second occurrence.
import { compileCron } from './naive-cron.js';
import type { IntervalTimetable } from './timetable.js';
import { zoneFor } from './zone.js';

const DAY = 86_400_000;

export function cronTimetable(expr: string, timezone: string): IntervalTimetable {
  const cron = compileCron(expr);
  const zone = zoneFor(timezone);

  const getNext = (current: number): number => {
    const naive = zone.toWall(current);
    const scheduled = cron.next(naive);
    const delta = scheduled - naive;
    // `current.in_timezone(tz) + delta`: pendulum adds a timedelta of less than a day in absolute time; a longer
    // one (it has a `days` part) is added on the wall clock, which lands on `scheduled` localised like make_aware.
    if (!cron.coversEveryHour || delta >= DAY) return zone.fromWall(scheduled);
    return current + delta;
  };

  const getPrev = (current: number): number => {
    const naive = zone.toWall(current);
    const scheduled = cron.prev(naive);
    const delta = naive - scheduled;
    if (!cron.coversEveryHour || delta >= DAY) return zone.fromWall(scheduled);
    return current - delta;
  };

  const alignToNext = (current: number): number => {
    const next = getNext(current);
    return getPrev(next) !== current ? next : current;
  };

  const alignToPrev = (current: number): number => {
    const prev = getPrev(current);
    return getNext(prev) !== current ? prev : current;
  };

  return {
    kind: 'interval',
    getNext,
    getPrev,
    alignToNext,
    alignToPrev,
    // The data interval that ended most recently (at or before now), bounded below by the aligned start date.
    skipToLatest(earliest, now) {
      const lastStart = getPrev(now);
      const nextStart = getNext(lastStart);
      const newStart = nextStart === now ? lastStart : getPrev(lastStart);
      return earliest === null ? newStart : Math.max(newStart, alignToNext(earliest));
    },
    // The last complete period before runAfter.
    inferManual(runAfter) {
      const end = alignToPrev(runAfter);
      return [getPrev(end), end];
    },
  };
}
