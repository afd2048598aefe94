// Which run comes next: Airflow 2's `next_dagrun_info` (timetables/interval.py, simple.py), `DAG._time_restriction`
// and `DAG.iter_dagrun_infos_between` (models/dag.py), as pure functions of the schedule, the last automated
// run's data interval and the clock.
import type { DagSpec, ScheduleSpec } from '../types.js';
import { timetableFor, type Timetable } from './timetable.js';
import { exactInfo, intervalInfo, type DagRunInfo, type DataInterval, type TimeRestriction } from './types.js';

/** earliest = min(DAG and task start dates); latest = the DAG's end date, or the latest task end date when every task has one. */
export function timeRestriction(dag: DagSpec): TimeRestriction {
  const starts = dag.tasks.map((t) => t.startDate).filter((d): d is Date => d != null);
  if (dag.startDate) starts.push(dag.startDate);
  const earliest = starts.length ? new Date(Math.min(...starts.map((d) => d.getTime()))) : null;
  let latest = dag.endDate;
  const ends = dag.tasks.map((t) => t.endDate).filter((d): d is Date => d != null);
  if (ends.length === dag.tasks.length) {
    if (dag.endDate) ends.push(dag.endDate);
    if (ends.length) latest = new Date(Math.max(...ends.map((d) => d.getTime())));
  }
  return { earliest, latest, catchup: dag.catchup };
}

/** The run the scheduler creates after `lastAutomatedInterval` (the last scheduled or backfill run; manual runs don't count). */
export function nextDagRunInfo(
  schedule: ScheduleSpec,
  timezone: string,
  lastAutomatedInterval: DataInterval | null,
  restriction: TimeRestriction,
  now: Date,
): DagRunInfo | null {
  const tt = timetableFor(schedule, timezone);
  const last = lastAutomatedInterval ? lastAutomatedInterval.end.getTime() : null;
  return nextInfo(tt, lastAutomatedInterval !== null, last, boundedEarliest(tt, restriction, now.getTime()), restriction.latest?.getTime() ?? null);
}

/** The next `n` runs the scheduler would create, each fed back as the last automated interval (`dag next-execution`). */
export function nextExecutions(
  schedule: ScheduleSpec,
  timezone: string,
  restriction: TimeRestriction,
  lastAutomatedInterval: DataInterval | null,
  now: Date,
  n: number,
): DagRunInfo[] {
  const tt = timetableFor(schedule, timezone);
  // The bounded earliest depends only on the restriction and the clock: computed once, not per run.
  const earliest = boundedEarliest(tt, restriction, now.getTime());
  const latest = restriction.latest?.getTime() ?? null;
  const out: DagRunInfo[] = [];
  let hasLast = lastAutomatedInterval !== null;
  let lastEnd = lastAutomatedInterval ? lastAutomatedInterval.end.getTime() : null;
  while (out.length < n) {
    const info = nextInfo(tt, hasLast, lastEnd, earliest, latest);
    if (!info) break;
    out.push(info);
    hasLast = true;
    lastEnd = info.dataInterval.end.getTime();
  }
  return out;
}

/**
 * Every run whose logical date lies in [start, end] (both inclusive), whatever catchup says: what a backfill
 * creates. Like Airflow, `start` is aligned to the next boundary. A restriction, when given, narrows the range to
 * the DAG's own start and end dates.
 */
export function iterDagRunInfosBetween(schedule: ScheduleSpec, timezone: string, start: Date, end: Date, restriction?: TimeRestriction, limit = Infinity): DagRunInfo[] {
  const tt = timetableFor(schedule, timezone);
  let earliest = start.getTime();
  let latest = end.getTime();
  if (restriction?.earliest) earliest = Math.max(earliest, restriction.earliest.getTime());
  if (restriction?.latest) latest = Math.min(latest, restriction.latest.getTime());
  const bounded = boundedEarliest(tt, { earliest: new Date(earliest), latest: new Date(latest), catchup: true }, 0);
  const out: DagRunInfo[] = [];
  let info = nextInfo(tt, false, null, bounded, latest);
  while (info && out.length < limit) {
    out.push(info);
    const following = nextInfo(tt, true, info.dataInterval.end.getTime(), bounded, latest);
    if (following && following.logicalDate.getTime() <= info.logicalDate.getTime()) break; // never loop on a bad spec
    info = following;
  }
  return out;
}

/** The data interval of a run triggered by hand at `runAfter` (its logical date is `runAfter` itself in Airflow 2). */
export function inferManualDataInterval(schedule: ScheduleSpec, timezone: string, runAfter: Date): DataInterval {
  const tt = timetableFor(schedule, timezone);
  if (tt.kind !== 'interval') return { start: new Date(runAfter), end: new Date(runAfter) };
  const [start, end] = tt.inferManual(runAfter.getTime());
  return { start: new Date(start), end: new Date(end) };
}

/** `restriction.earliest` after catchup: skipped to the latest complete interval, or aligned to the schedule. */
function boundedEarliest(tt: Timetable, restriction: TimeRestriction, now: number): number | null {
  const earliest = restriction.earliest?.getTime() ?? null;
  if (tt.kind !== 'interval') return earliest;
  if (!restriction.catchup) return tt.skipToLatest(earliest, now);
  return earliest === null ? null : tt.alignToNext(earliest);
}

function nextInfo(tt: Timetable, hasLast: boolean, lastEnd: number | null, earliest: number | null, latest: number | null): DagRunInfo | null {
  switch (tt.kind) {
    case 'none':
      return null;
    case 'once':
      // "@once" runs at the start date, regardless of catchup, and never again.
      if (hasLast || earliest === null) return null;
      if (latest !== null && earliest > latest) return null;
      return exactInfo(earliest);
    case 'interval': {
      let start: number;
      if (!hasLast || lastEnd === null) {
        if (earliest === null) return null;
        start = earliest;
      } else {
        // Aligning the last end handles a schedule changed since that run.
        const aligned = tt.alignToPrev(lastEnd);
        start = earliest === null ? aligned : Math.max(aligned, earliest);
      }
      if (latest !== null && start > latest) return null;
      return intervalInfo(start, tt.getNext(start));
    }
  }
}
