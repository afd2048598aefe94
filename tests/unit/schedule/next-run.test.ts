// Scheduling rules beyond the worked cases: restrictions from the DAG, catchup after a pause, schedule changes,
// @once and none, backfill ranges, manual intervals.
import { describe, expect, it } from 'vitest';
import {
  inferManualDataInterval,
  iterDagRunInfosBetween,
  nextDagRunInfo,
  nextExecutions,
  timeRestriction,
} from '../../../engine/schedule/index.js';
import type { DagSpec, TaskSpec } from '../../../engine/types.js';
import { at, cron, daily, delta, DAY, hourly, HOUR, interval, none, once, restriction, show } from './helpers.js';

function dag(over: Partial<DagSpec>, tasks: Partial<TaskSpec>[] = [{}]): DagSpec {
  return {
    dagId: 'd',
    fileloc: '/dags/d.yaml',
    description: null,
    schedule: daily,
    timezone: 'UTC',
    startDate: null,
    endDate: null,
    catchup: true,
    maxActiveRuns: 16,
    maxActiveTasks: 16,
    dagrunTimeoutSec: null,
    tags: [],
    params: {},
    docMd: null,
    owner: 'airflow',
    line: null,
    ...over,
    tasks: tasks.map((t, i) => ({ taskId: `t${i}`, startDate: null, endDate: null, ...t }) as TaskSpec),
  };
}

describe('timeRestriction', () => {
  it('takes the earliest of the DAG and task start dates, and the catchup flag', () => {
    const r = timeRestriction(dag({ startDate: at('2024-02-01'), catchup: false }, [{ startDate: at('2024-01-15') }, {}]));
    expect(r).toEqual({ earliest: at('2024-01-15'), latest: null, catchup: false });
  });

  it("uses the DAG's end date unless every task has one, then the latest of all", () => {
    expect(timeRestriction(dag({ endDate: at('2024-03-01') }, [{ endDate: at('2024-05-01') }, {}])).latest).toEqual(at('2024-03-01'));
    expect(timeRestriction(dag({ endDate: at('2024-03-01') }, [{ endDate: at('2024-05-01') }, { endDate: at('2024-04-01') }])).latest).toEqual(at('2024-05-01'));
    expect(timeRestriction(dag({}, [{ endDate: at('2024-05-01') }])).latest).toEqual(at('2024-05-01'));
    expect(timeRestriction(dag({})).earliest).toBeNull();
  });
});

describe('nextDagRunInfo', () => {
  it('returns nothing for a DAG without a start date and without runs', () => {
    expect(nextDagRunInfo(daily, 'UTC', null, restriction(null, true), at('2024-01-01'))).toBeNull();
  });

  it('catchup after a pause: catchup=True resumes right after the last run, catchup=False jumps to the latest interval', () => {
    const last = interval('2024-01-09', '2024-01-10');
    const now = at('2024-03-15T12:00');
    expect(show(nextDagRunInfo(daily, 'UTC', last, restriction('2024-01-01', true), now))).toBe('2024-01-10T00:00:00Z -> 2024-01-11T00:00:00Z');
    expect(show(nextDagRunInfo(daily, 'UTC', last, restriction('2024-01-01', false), now))).toBe('2024-03-14T00:00:00Z -> 2024-03-15T00:00:00Z');
    expect(show(nextDagRunInfo(delta(DAY), 'UTC', last, restriction('2024-01-01', false), now))).toBe('2024-03-14T12:00:00Z -> 2024-03-15T12:00:00Z');
  });

  it('catchup=False never goes back before the aligned start date', () => {
    const info = nextDagRunInfo(daily, 'UTC', null, restriction('2024-03-20T10:00', false), at('2024-03-15T12:00'));
    expect(show(info)).toBe('2024-03-21T00:00:00Z -> 2024-03-22T00:00:00Z');
  });

  it('a schedule changed between runs re-aligns to the new grid', () => {
    const r = restriction('2024-01-01', true);
    const now = at('2024-02-01');
    // @daily -> 06:00 daily: the last end (midnight) is off the new grid, so the run starts at the previous 06:00.
    expect(show(nextDagRunInfo(cron('0 6 * * *'), 'UTC', interval('2024-01-01', '2024-01-02'), r, now))).toBe('2024-01-01T06:00:00Z -> 2024-01-02T06:00:00Z');
    // @daily -> @hourly: midnight is on the hourly grid, the next run starts there.
    expect(show(nextDagRunInfo(hourly, 'UTC', interval('2024-01-01', '2024-01-02'), r, now))).toBe('2024-01-02T00:00:00Z -> 2024-01-02T01:00:00Z');
    // @hourly -> @daily in Paris after a run ending at 05:00 UTC: back to the local midnight before it.
    expect(show(nextDagRunInfo(daily, 'Europe/Paris', interval('2024-01-02T04:00', '2024-01-02T05:00'), r, now))).toBe(
      '2024-01-01T23:00:00Z -> 2024-01-02T23:00:00Z',
    );
  });

  it('a start date moved later than the last run wins (max of the two)', () => {
    const info = nextDagRunInfo(daily, 'UTC', interval('2024-01-01', '2024-01-02'), restriction('2024-01-10T12:00', true), at('2024-02-01'));
    expect(show(info)).toBe('2024-01-11T00:00:00Z -> 2024-01-12T00:00:00Z');
  });

  it('the end date bounds the logical date, not the interval end, and is inclusive', () => {
    const r = restriction('2024-01-01', true, '2024-01-02T00:00');
    const runs = nextExecutions(hourly, 'UTC', r, null, at('2024-02-01'), 100);
    expect(runs).toHaveLength(25);
    expect(show(runs[24])).toBe('2024-01-02T00:00:00Z -> 2024-01-02T01:00:00Z');
  });

  it('none never schedules; @once respects the end date', () => {
    expect(nextDagRunInfo(none, 'UTC', null, restriction('2024-01-01', true), at('2024-02-01'))).toBeNull();
    expect(nextExecutions(none, 'UTC', restriction('2024-01-01', true), null, at('2024-02-01'), 5)).toEqual([]);
    expect(nextDagRunInfo(once, 'UTC', null, restriction('2024-01-05', true, '2024-01-01'), at('2024-02-01'))).toBeNull();
    expect(nextDagRunInfo(once, 'UTC', null, restriction(null, true), at('2024-02-01'))).toBeNull();
    expect(nextExecutions(once, 'UTC', restriction('2024-01-05', false), null, at('2024-02-01'), 5).map(show)).toEqual([
      '2024-01-05T00:00:00Z -> 2024-01-05T00:00:00Z',
    ]);
  });

  it('keeps the time of day of a timedelta start date (no alignment)', () => {
    const runs = nextExecutions(delta(6 * HOUR), 'UTC', restriction('2024-01-01T01:23:45', true), null, at('2024-02-01'), 3);
    expect(runs.map(show)).toEqual([
      '2024-01-01T01:23:45Z -> 2024-01-01T07:23:45Z',
      '2024-01-01T07:23:45Z -> 2024-01-01T13:23:45Z',
      '2024-01-01T13:23:45Z -> 2024-01-01T19:23:45Z',
    ]);
  });
});

describe('nextExecutions', () => {
  it('gives 8,760 consecutive hourly runs with no gap or overlap', () => {
    const runs = nextExecutions(hourly, 'Europe/Paris', restriction('2023-01-01', true), null, at('2024-01-01'), 8760);
    expect(runs).toHaveLength(8760);
    expect(runs[0].logicalDate).toEqual(at('2023-01-01T00:00'));
    expect(runs[8759].logicalDate).toEqual(at('2023-12-31T23:00'));
    for (let i = 1; i < runs.length; i++) expect(runs[i].logicalDate.getTime() - runs[i - 1].logicalDate.getTime()).toBe(3_600_000);
  });

  it('continues from the last automated interval', () => {
    const runs = nextExecutions(daily, 'UTC', restriction('2024-01-01', true), interval('2024-01-04', '2024-01-05'), at('2024-01-10'), 2);
    expect(runs.map(show)).toEqual(['2024-01-05T00:00:00Z -> 2024-01-06T00:00:00Z', '2024-01-06T00:00:00Z -> 2024-01-07T00:00:00Z']);
  });
});

describe('iterDagRunInfosBetween (backfill)', () => {
  it('yields every logical date in [start, end], inclusive, ignoring catchup', () => {
    const runs = iterDagRunInfosBetween(daily, 'UTC', at('2024-04-01'), at('2024-04-30'));
    expect(runs).toHaveLength(30);
    expect(show(runs[29])).toBe('2024-04-30T00:00:00Z -> 2024-05-01T00:00:00Z');
  });

  it('aligns a start between boundaries to the next one', () => {
    const runs = iterDagRunInfosBetween(daily, 'UTC', at('2021-06-03T23:00'), at('2021-06-05T00:00'));
    expect(runs.map((r) => r.logicalDate)).toEqual([at('2021-06-04'), at('2021-06-05')]);
  });

  it('is empty when no boundary lies in the range, and for none', () => {
    expect(iterDagRunInfosBetween(daily, 'UTC', at('2024-01-01T01:00'), at('2024-01-01T23:00'))).toEqual([]);
    expect(iterDagRunInfosBetween(none, 'UTC', at('2024-01-01'), at('2024-01-05'))).toEqual([]);
  });

  it('gives @once a single exact run at the start', () => {
    expect(iterDagRunInfosBetween(once, 'UTC', at('2024-01-01'), at('2024-01-05')).map(show)).toEqual(['2024-01-01T00:00:00Z -> 2024-01-01T00:00:00Z']);
  });

  it("narrows the range to the restriction's dates when one is given", () => {
    const runs = iterDagRunInfosBetween(daily, 'UTC', at('2024-01-01'), at('2024-01-31'), restriction('2024-01-10', false, '2024-01-12'));
    expect(runs.map((r) => r.logicalDate.toISOString().slice(0, 10))).toEqual(['2024-01-10', '2024-01-11', '2024-01-12']);
  });
});

describe('inferManualDataInterval', () => {
  it('cron: the last complete period before the trigger', () => {
    expect(inferManualDataInterval(hourly, 'UTC', at('2024-05-05T12:34:56'))).toEqual(interval('2024-05-05T11:00', '2024-05-05T12:00'));
    expect(inferManualDataInterval(daily, 'Europe/Paris', at('2024-04-20T10:00'))).toEqual(interval('2024-04-18T22:00', '2024-04-19T22:00'));
  });

  it('timedelta: one delta ending at the trigger; @once and none: the trigger instant itself', () => {
    expect(inferManualDataInterval(delta(DAY), 'UTC', at('2024-05-05T12:34:56'))).toEqual(interval('2024-05-04T12:34:56', '2024-05-05T12:34:56'));
    expect(inferManualDataInterval(once, 'UTC', at('2024-05-05T12:34:56'))).toEqual(interval('2024-05-05T12:34:56', '2024-05-05T12:34:56'));
    expect(inferManualDataInterval(none, 'UTC', at('2024-05-05T12:34:56'))).toEqual(interval('2024-05-05T12:34:56', '2024-05-05T12:34:56'));
  });
});
