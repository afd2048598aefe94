// Daylight saving time in Europe/Paris and America/New_York, the way Airflow's CronMixin handles it: cron runs on
// the local wall clock; hourly schedules fire every real hour; a skipped local time moves forward by the gap; a
// repeated one fires at its second occurrence; timedelta schedules ignore DST.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { inferManualDataInterval, iterDagRunInfosBetween, nextExecutions, type DagRunInfo } from '../../../engine/schedule/index.js';
import { at, cron, daily, delta, DAY, hourly, hours, restriction, show } from './helpers.js';

const PARIS = 'Europe/Paris';
const NY = 'America/New_York';

const local = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd'T'HH:mmZZ");

/** The runs whose logical date falls on one local calendar day. */
function runsOnLocalDay(schedule: Parameters<typeof iterDagRunInfosBetween>[0], zone: string, day: string): DagRunInfo[] {
  const start = DateTime.fromISO(day, { zone });
  const end = start.plus({ days: 1 });
  return iterDagRunInfosBetween(schedule, zone, start.toJSDate(), new Date(end.toMillis() - 1));
}

/** The scheduler's path: next runs fed back one after the other. */
const scheduled = (schedule: Parameters<typeof nextExecutions>[0], zone: string, from: string, n: number) =>
  nextExecutions(schedule, zone, restriction(from, true), null, at('2030-01-01'), n);

function expectContiguous(runs: DagRunInfo[]) {
  for (let i = 1; i < runs.length; i++) expect(runs[i].dataInterval.start).toEqual(runs[i - 1].dataInterval.end);
}

describe('@daily across DST', () => {
  it('Europe/Paris: the spring-forward day lasts 23 hours, the fall-back day 25, midnight stays local midnight', () => {
    const spring = scheduled(daily, PARIS, '2024-03-29T23:00', 3);
    expect(spring.map(show)).toEqual([
      '2024-03-29T23:00:00Z -> 2024-03-30T23:00:00Z',
      '2024-03-30T23:00:00Z -> 2024-03-31T22:00:00Z',
      '2024-03-31T22:00:00Z -> 2024-04-01T22:00:00Z',
    ]);
    expect(spring.map(hours)).toEqual([24, 23, 24]);
    expect(spring.map((r) => local(r.logicalDate, PARIS))).toEqual(['2024-03-30T00:00+01:00', '2024-03-31T00:00+01:00', '2024-04-01T00:00+02:00']);

    const fall = scheduled(daily, PARIS, '2024-10-25T22:00', 3);
    expect(fall.map(show)).toEqual([
      '2024-10-25T22:00:00Z -> 2024-10-26T22:00:00Z',
      '2024-10-26T22:00:00Z -> 2024-10-27T23:00:00Z',
      '2024-10-27T23:00:00Z -> 2024-10-28T23:00:00Z',
    ]);
    expect(fall.map(hours)).toEqual([24, 25, 24]);
  });

  it('America/New_York: 04:00 UTC in summer, 05:00 UTC in winter (the reference example)', () => {
    const spring = scheduled(daily, NY, '2024-03-09T05:00', 3);
    expect(spring.map(show)).toEqual([
      '2024-03-09T05:00:00Z -> 2024-03-10T05:00:00Z',
      '2024-03-10T05:00:00Z -> 2024-03-11T04:00:00Z',
      '2024-03-11T04:00:00Z -> 2024-03-12T04:00:00Z',
    ]);
    expect(spring.map(hours)).toEqual([24, 23, 24]);
    const fall = scheduled(daily, NY, '2024-11-02T04:00', 3);
    expect(fall.map(show)).toEqual([
      '2024-11-02T04:00:00Z -> 2024-11-03T04:00:00Z',
      '2024-11-03T04:00:00Z -> 2024-11-04T05:00:00Z',
      '2024-11-04T05:00:00Z -> 2024-11-05T05:00:00Z',
    ]);
    expect(fall.map(hours)).toEqual([24, 25, 24]);
  });

  it('a start date given as local midnight in summer is on the grid (no shift to the next day)', () => {
    expect(show(scheduled(daily, PARIS, '2024-06-30T22:00', 1)[0])).toBe('2024-06-30T22:00:00Z -> 2024-07-01T22:00:00Z');
  });

  it('a manual run on the spring-forward day covers the previous local day', () => {
    expect(inferManualDataInterval(daily, PARIS, at('2024-03-31T12:00'))).toEqual({ start: at('2024-03-29T23:00'), end: at('2024-03-30T23:00') });
    expect(inferManualDataInterval(daily, PARIS, at('2024-04-01T12:00'))).toEqual({ start: at('2024-03-30T23:00'), end: at('2024-03-31T22:00') });
  });
});

describe('@hourly across DST', () => {
  const cases = [
    { zone: PARIS, spring: '2024-03-31', fall: '2024-10-27', repeated: '02:00' },
    { zone: NY, spring: '2024-03-10', fall: '2024-11-03', repeated: '01:00' },
  ];
  for (const { zone, spring, fall, repeated } of cases) {
    it(`${zone}: 23 one-hour runs on ${spring}, 25 on ${fall}, every real hour, none skipped or doubled`, () => {
      const short = runsOnLocalDay(hourly, zone, spring);
      expect(short).toHaveLength(23);
      const long = runsOnLocalDay(hourly, zone, fall);
      expect(long).toHaveLength(25);
      for (const runs of [short, long]) {
        expect(runs.every((r) => hours(r) === 1)).toBe(true);
        expectContiguous(runs);
      }
      // The repeated local hour runs twice, once per offset.
      const atRepeated = long.filter((r) => local(r.logicalDate, zone).slice(11, 16) === repeated);
      expect(atRepeated).toHaveLength(2);
      expect(atRepeated[1].logicalDate.getTime() - atRepeated[0].logicalDate.getTime()).toBe(3_600_000);
    });

    it(`${zone}: the scheduler's path gives the same hourly runs as a backfill through both changes`, () => {
      const from = DateTime.fromISO(spring, { zone }).minus({ days: 1 });
      const n = 24 * 240;
      const runs = scheduled(hourly, zone, from.toUTC().toISO()!, n);
      expect(runs).toHaveLength(n);
      expect(runs.every((r) => hours(r) === 1)).toBe(true);
      expectContiguous(runs);
      const back = iterDagRunInfosBetween(hourly, zone, runs[0].logicalDate, runs[n - 1].logicalDate);
      expect(back.map(show)).toEqual(runs.map(show));
    });
  }
});

describe('a daily time inside the DST gap or the repeated hour', () => {
  it('Europe/Paris "30 2 * * *": on spring-forward day 02:30 does not exist and the run moves to 03:30 CEST', () => {
    const runs = scheduled(cron('30 2 * * *'), PARIS, '2024-03-29T01:30', 4);
    expect(runs.map(show)).toEqual([
      '2024-03-29T01:30:00Z -> 2024-03-30T01:30:00Z',
      '2024-03-30T01:30:00Z -> 2024-03-31T01:30:00Z',
      '2024-03-31T01:30:00Z -> 2024-04-01T00:30:00Z',
      '2024-04-01T00:30:00Z -> 2024-04-02T00:30:00Z',
    ]);
    expect(local(runs[2].logicalDate, PARIS)).toBe('2024-03-31T03:30+02:00');
    expect(runs.map(hours)).toEqual([24, 24, 23, 24]);
  });

  it('Europe/Paris "30 2 * * *": at the fold 02:30 happens twice and the run is at the second one (CET)', () => {
    const runs = scheduled(cron('30 2 * * *'), PARIS, '2024-10-26T00:30', 3);
    expect(runs.map(show)).toEqual([
      '2024-10-26T00:30:00Z -> 2024-10-27T01:30:00Z',
      '2024-10-27T01:30:00Z -> 2024-10-28T01:30:00Z',
      '2024-10-28T01:30:00Z -> 2024-10-29T01:30:00Z',
    ]);
    expect(local(runs[1].logicalDate, PARIS)).toBe('2024-10-27T02:30+01:00');
    expect(runs.map(hours)).toEqual([25, 24, 24]);
  });

  it('America/New_York "30 2 * * *" in spring and "30 1 * * *" at the fold', () => {
    expect(scheduled(cron('30 2 * * *'), NY, '2024-03-08T07:30', 4).map(show)).toEqual([
      '2024-03-08T07:30:00Z -> 2024-03-09T07:30:00Z',
      '2024-03-09T07:30:00Z -> 2024-03-10T07:30:00Z',
      '2024-03-10T07:30:00Z -> 2024-03-11T06:30:00Z',
      '2024-03-11T06:30:00Z -> 2024-03-12T06:30:00Z',
    ]);
    const fall = scheduled(cron('30 1 * * *'), NY, '2024-11-02T05:30', 2);
    expect(fall.map(show)).toEqual(['2024-11-02T05:30:00Z -> 2024-11-03T06:30:00Z', '2024-11-03T06:30:00Z -> 2024-11-04T06:30:00Z']);
    expect(local(fall[1].logicalDate, NY)).toBe('2024-11-03T01:30-05:00');
  });

  it("keeps Airflow's quirk: a start date on the fire time just before a moved one counts as off the grid", () => {
    // _align_to_next(start): _get_prev of the moved fire time (03:30 local) is that same instant, not `start`,
    // so Airflow starts at the moved run; windsock follows the same steps and lands on the same run.
    expect(show(scheduled(cron('30 2 * * *'), NY, '2024-03-09T07:30', 1)[0])).toBe('2024-03-10T07:30:00Z -> 2024-03-11T06:30:00Z');
    expect(show(scheduled(cron('30 2 * * *'), PARIS, '2024-03-30T01:30', 1)[0])).toBe('2024-03-31T01:30:00Z -> 2024-04-01T00:30:00Z');
  });

  it('a backfill over the spring-forward day finds the moved run', () => {
    const runs = runsOnLocalDay(cron('30 2 * * *'), PARIS, '2024-03-31');
    expect(runs.map(show)).toEqual(['2024-03-31T01:30:00Z -> 2024-04-01T00:30:00Z']);
  });
});

describe('timedelta schedules ignore DST', () => {
  it('a 1-day delta from Paris midnight keeps 24-hour intervals and drifts to 01:00 local in summer', () => {
    const runs = iterDagRunInfosBetween(delta(DAY), PARIS, at('2024-03-29T23:00'), at('2024-04-01T23:00'));
    expect(runs.map(show)).toEqual([
      '2024-03-29T23:00:00Z -> 2024-03-30T23:00:00Z',
      '2024-03-30T23:00:00Z -> 2024-03-31T23:00:00Z',
      '2024-03-31T23:00:00Z -> 2024-04-01T23:00:00Z',
      '2024-04-01T23:00:00Z -> 2024-04-02T23:00:00Z',
    ]);
    expect(local(runs[2].logicalDate, PARIS)).toBe('2024-04-01T01:00+02:00');
  });
});
