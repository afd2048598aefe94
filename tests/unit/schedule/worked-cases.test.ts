// Worked cases from Airflow's own timetable tests (tests/timetables/) and docs, with their exact expected instants.
import { describe, expect, it } from 'vitest';
import { inferManualDataInterval, iterDagRunInfosBetween, nextDagRunInfo, nextExecutions, runId } from '../../../engine/schedule/index.js';
import { at, cron, daily, delta, DAY, hourly, HOUR, interval, once, restriction, show } from './helpers.js';

// AF:tests/timetables/test_interval_timetable.py
const CURRENT_TIME = at('2021-09-07T00:00');
const START_DATE = '2021-09-04T00:00';

describe('from test_interval_timetable.py', () => {
  it('1: catchup=False starts at the latest complete interval, with or without a previous run', () => {
    for (const last of [null, interval('2021-09-04', '2021-09-05')]) {
      const info = nextDagRunInfo(cron('30 16 * * *'), 'UTC', last, restriction('2021-09-06T00:00', false), CURRENT_TIME);
      expect(show(info)).toBe('2021-09-06T16:30:00Z -> 2021-09-07T16:30:00Z');
      expect(info!.logicalDate).toEqual(at('2021-09-06T16:30'));
      expect(info!.runAfter).toEqual(at('2021-09-07T16:30'));
    }
  });

  it('2: a new schedule starts at its own time after a run of the old one', () => {
    for (const earliest of [null, START_DATE]) {
      for (const catchup of [true, false]) {
        const info = nextDagRunInfo(cron('30 16 * * *'), 'UTC', interval('2021-09-06T00:00', '2021-09-07T00:00'), restriction(earliest, catchup), CURRENT_TIME);
        expect(show(info), `earliest=${earliest} catchup=${catchup}`).toBe('2021-09-06T16:30:00Z -> 2021-09-07T16:30:00Z');
      }
    }
  });

  it('3: catchup=False hourly runs the interval that just ended, for cron and timedelta', () => {
    for (const schedule of [hourly, delta(HOUR)]) {
      for (const last of [null, interval('2021-09-04', '2021-09-05')]) {
        const info = nextDagRunInfo(schedule, 'UTC', last, restriction(START_DATE, false), CURRENT_TIME);
        expect(show(info)).toBe('2021-09-06T23:00:00Z -> 2021-09-07T00:00:00Z');
        expect(info!.runAfter).toEqual(CURRENT_TIME); // run immediately
      }
    }
  });

  it('4: catchup=True continues right after the previous interval, whatever the clock says', () => {
    for (const schedule of [hourly, delta(HOUR)]) {
      for (const now of [CURRENT_TIME, at('2030-01-01T00:00')]) {
        const info = nextDagRunInfo(schedule, 'UTC', interval('2021-09-04T00:00', '2021-09-05T00:00'), restriction(START_DATE, true), now);
        expect(show(info)).toBe('2021-09-05T00:00:00Z -> 2021-09-05T01:00:00Z');
      }
    }
  });

  it('5: a manual @daily run covers the last complete day, also when triggered exactly at midnight', () => {
    for (const trigger of ['2022-08-08T01:00', '2022-08-08T00:00']) {
      expect(inferManualDataInterval(daily, 'UTC', at(trigger))).toEqual(interval('2022-08-07T00:00', '2022-08-08T00:00'));
    }
  });

  it('6: with no restriction, the next run follows the last one, realigned when it was off the grid', () => {
    const free = restriction(null, true);
    const now = at('2022-08-10T00:00');
    expect(show(nextDagRunInfo(daily, 'UTC', interval('2022-08-07', '2022-08-08'), free, now))).toBe('2022-08-08T00:00:00Z -> 2022-08-09T00:00:00Z');
    expect(show(nextDagRunInfo(daily, 'UTC', interval('2022-08-07T01:00', '2022-08-08T01:00'), free, now))).toBe('2022-08-08T00:00:00Z -> 2022-08-09T00:00:00Z');
  });
});

describe('from test_dag.py', () => {
  it('13: catchup=False daily, first run is yesterday, the next one today (timedelta and cron alike)', () => {
    for (const schedule of [delta(DAY), daily]) {
      const r = restriction('2015-01-01', false);
      const now = at('2020-01-05T00:00');
      const first = nextDagRunInfo(schedule, 'UTC', null, r, now);
      expect(first!.logicalDate).toEqual(at('2020-01-04T00:00'));
      expect(first!.runAfter).toEqual(now);
      const second = nextDagRunInfo(schedule, 'UTC', first!.dataInterval, r, now);
      expect(second!.logicalDate).toEqual(at('2020-01-05T00:00'));
      expect(second!.runAfter).toEqual(at('2020-01-06T00:00'));
    }
  });

  it('14: catchup=True timedelta yields every day from the start date; the last one is not due yet', () => {
    const now = at('2020-05-04T00:00');
    const runs = nextExecutions(delta(DAY), 'UTC', restriction('2020-05-01', true), null, now, 4);
    expect(runs.map((r) => r.logicalDate.toISOString().slice(0, 10))).toEqual(['2020-05-01', '2020-05-02', '2020-05-03', '2020-05-04']);
    expect(runs[3].runAfter).toEqual(at('2020-05-05T00:00'));
    expect(runs[3].runAfter.getTime()).toBeGreaterThan(now.getTime());
  });

  it('15: the start date is aligned to the schedule, and used as is when on a boundary', () => {
    const r = restriction('2016-01-01T10:10', true);
    const now = at('2016-01-05T00:00');
    expect(nextDagRunInfo(cron('4 5 * * *'), 'UTC', null, r, now)!.logicalDate).toEqual(at('2016-01-02T05:04'));
    expect(nextDagRunInfo(cron('10 10 * * *'), 'UTC', null, r, now)!.logicalDate).toEqual(at('2016-01-01T10:10'));
  });

  it('17: @once runs exactly at the start date, regardless of catchup, then never again', () => {
    for (const catchup of [true, false]) {
      const r = restriction('2015-01-01', catchup);
      const first = nextDagRunInfo(once, 'UTC', null, r, at('2024-01-01'));
      expect(show(first)).toBe('2015-01-01T00:00:00Z -> 2015-01-01T00:00:00Z');
      expect(first!.runAfter).toEqual(at('2015-01-01'));
      expect(nextDagRunInfo(once, 'UTC', first!.dataInterval, r, at('2024-01-01'))).toBeNull();
    }
  });

  it('18: catchup=False with a start six hours ago starts within the last interval or two, before now', () => {
    const now = at('2024-05-05T12:34:56.789');
    const sixHoursAgo = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 - 6 * 3_600_000).toISOString();
    const tenMin = nextDagRunInfo(cron('*/10 * * * *'), 'UTC', null, restriction(sixHoursAgo, false), now)!;
    expect(tenMin.logicalDate).toEqual(at('2024-05-05T12:20'));
    expect(now.getTime() - tenMin.logicalDate.getTime()).toBeLessThanOrEqual(30 * 60_000);
    const hour = nextDagRunInfo(hourly, 'UTC', null, restriction(sixHoursAgo, false), now)!;
    expect(hour.logicalDate).toEqual(at('2024-05-05T11:00'));
    expect(now.getTime() - hour.logicalDate.getTime()).toBeLessThanOrEqual(2 * 3_600_000);
  });
});

describe('from the Catchup docs (case 19)', () => {
  const now = at('2016-01-02T06:00');

  it('catchup=False @daily: one run for 2016-01-01, the next just after midnight on 2016-01-03', () => {
    const r = restriction('2015-12-01', false);
    const first = nextDagRunInfo(daily, 'UTC', null, r, now)!;
    expect(show(first)).toBe('2016-01-01T00:00:00Z -> 2016-01-02T00:00:00Z');
    const next = nextDagRunInfo(daily, 'UTC', first.dataInterval, r, now)!;
    expect(show(next)).toBe('2016-01-02T00:00:00Z -> 2016-01-03T00:00:00Z');
    expect(next.runAfter).toEqual(at('2016-01-03T00:00'));
  });

  it('catchup=False timedelta(days=1): the single run is the day ending now', () => {
    expect(show(nextDagRunInfo(delta(DAY), 'UTC', null, restriction('2015-12-01', false), now))).toBe('2016-01-01T06:00:00Z -> 2016-01-02T06:00:00Z');
  });

  it('catchup=True: a run for each completed interval from 2015-12-01, not yet one for 2016-01-02', () => {
    const runs = nextExecutions(daily, 'UTC', restriction('2015-12-01', true), null, now, 40);
    const due = runs.filter((r) => r.runAfter.getTime() <= now.getTime());
    expect(due).toHaveLength(32);
    expect(due[0].logicalDate).toEqual(at('2015-12-01'));
    expect(due[31].logicalDate).toEqual(at('2016-01-01'));
    expect(runs[32].logicalDate).toEqual(at('2016-01-02'));
  });
});

describe('derived cases', () => {
  it('20: @daily from 2024-01-01 with catchup: first run, its creation time and run id', () => {
    const info = nextDagRunInfo(daily, 'UTC', null, restriction('2024-01-01', true), at('2024-06-01'))!;
    expect(show(info)).toBe('2024-01-01T00:00:00Z -> 2024-01-02T00:00:00Z');
    expect(info.runAfter).toEqual(at('2024-01-02T00:00'));
    expect(runId('scheduled', info.logicalDate)).toBe('scheduled__2024-01-01T00:00:00+00:00');
  });

  it('21: @weekly from a Wednesday is aligned to the next Sunday', () => {
    const info = nextDagRunInfo(cron('0 0 * * 0', '@weekly'), 'UTC', null, restriction('2024-01-03', true), at('2024-06-01'))!;
    expect(show(info)).toBe('2024-01-07T00:00:00Z -> 2024-01-14T00:00:00Z');
  });

  it('22: @monthly from mid-month starts on the first of the next month', () => {
    const info = nextDagRunInfo(cron('0 0 1 * *', '@monthly'), 'UTC', null, restriction('2024-01-15', true), at('2024-06-01'))!;
    expect(show(info)).toBe('2024-02-01T00:00:00Z -> 2024-03-01T00:00:00Z');
    expect(info.runAfter).toEqual(at('2024-03-01T00:00'));
  });

  it('23: end_date is inclusive: runs for 01-01, 01-02 and 01-03, then none', () => {
    const r = restriction('2024-01-01', true, '2024-01-03');
    const runs = nextExecutions(daily, 'UTC', r, null, at('2024-06-01'), 10);
    expect(runs.map((x) => x.logicalDate.toISOString().slice(0, 10))).toEqual(['2024-01-01', '2024-01-02', '2024-01-03']);
    expect(nextDagRunInfo(daily, 'UTC', runs[2].dataInterval, r, at('2024-06-01'))).toBeNull();
    expect(iterDagRunInfosBetween(daily, 'UTC', at('2024-01-01'), at('2024-01-03'))).toHaveLength(3);
  });
});
