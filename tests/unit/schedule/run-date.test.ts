// `dag run --date X`, run ids and Airflow's ISO strings.
import { describe, expect, it } from 'vitest';
import { iterDagRunInfosBetween, parseRunType, runForDate, runId, toAirflowIso } from '../../../engine/schedule/index.js';
import { UserError } from '../../../engine/types.js';
import { at, daily, delta, DAY, hourly, none, once, show } from './helpers.js';

describe('runForDate', () => {
  it("reads YYYY-MM-DD as local midnight in the DAG's time zone (@daily Europe/Paris, 2024-04-20)", () => {
    const info = runForDate(daily, 'Europe/Paris', '2024-04-20');
    expect(info.logicalDate).toEqual(at('2024-04-19T22:00'));
    expect(info.dataInterval).toEqual({ start: at('2024-04-19T22:00'), end: at('2024-04-20T22:00') });
    expect(info.runAfter).toEqual(at('2024-04-20T22:00'));
    expect(runId('backfill', info.logicalDate)).toBe('backfill__2024-04-19T22:00:00+00:00');
  });

  it('equals what a one-day backfill yields for a date on the schedule', () => {
    for (const [schedule, tz, date] of [
      [daily, 'Europe/Paris', '2024-04-20'],
      [daily, 'America/New_York', '2024-03-10'],
      [hourly, 'Europe/Paris', '2024-10-27T02:00:00+01:00'],
      [delta(DAY), 'UTC', '2024-04-20'],
    ] as const) {
      const info = runForDate(schedule, tz, date);
      expect(iterDagRunInfosBetween(schedule, tz, info.logicalDate, info.logicalDate)).toEqual([info]);
    }
  });

  it('takes ISO datetimes with Z or an offset as instants, and without one as DAG-local wall time', () => {
    expect(runForDate(daily, 'Europe/Paris', '2024-04-20T06:00:00+02:00').logicalDate).toEqual(at('2024-04-20T04:00'));
    expect(runForDate(daily, 'Europe/Paris', '2024-04-20T06:00:00Z').logicalDate).toEqual(at('2024-04-20T06:00'));
    expect(runForDate(daily, 'Europe/Paris', '2024-04-20T06:00').logicalDate).toEqual(at('2024-04-20T04:00'));
    expect(runForDate(daily, 'Europe/Paris', '2024-04-20 06:00:00.250+0200').logicalDate).toEqual(at('2024-04-20T04:00:00.250'));
    // Off the grid: the interval runs to the next tick.
    expect(show(runForDate(daily, 'Europe/Paris', '2024-04-20T06:00'))).toBe('2024-04-20T04:00:00Z -> 2024-04-20T22:00:00Z');
  });

  it('localises naive times like Airflow: a skipped time moves forward, a repeated one is its second occurrence', () => {
    expect(runForDate(hourly, 'Europe/Paris', '2024-03-31T02:30').logicalDate).toEqual(at('2024-03-31T01:30'));
    expect(runForDate(hourly, 'Europe/Paris', '2024-10-27T02:30').logicalDate).toEqual(at('2024-10-27T01:30'));
  });

  it('timedelta: [date, date + delta); @once and none: the exact instant', () => {
    expect(show(runForDate(delta(6 * 3600), 'UTC', '2024-04-20'))).toBe('2024-04-20T00:00:00Z -> 2024-04-20T06:00:00Z');
    for (const s of [once, none]) {
      const info = runForDate(s, 'Europe/Paris', '2024-04-20');
      expect(show(info)).toBe('2024-04-19T22:00:00Z -> 2024-04-19T22:00:00Z');
      expect(info.runAfter).toEqual(at('2024-04-19T22:00'));
    }
  });

  it('rejects what is not a date with one line naming the flag', () => {
    for (const bad of ['2024-13-01', '2024-02-30', 'yesterday', '20240420', '2024-04-20T25:00', '2024-04-20T10:00+25:00', '']) {
      expect(() => runForDate(daily, 'UTC', bad)).toThrow(UserError);
      expect(() => runForDate(daily, 'UTC', bad)).toThrow(`--date '${bad}' is not a date: use YYYY-MM-DD or an ISO 8601 datetime`);
    }
    expect(() => runForDate(daily, 'UTC', '2024-13-01', '--from')).toThrow("--from '2024-13-01' is not a date");
    expect(runForDate(daily, 'UTC', '2024-02-29').logicalDate).toEqual(at('2024-02-29'));
  });
});

describe('run ids', () => {
  it("format the logical date like Python's isoformat in UTC", () => {
    expect(toAirflowIso(at('2024-01-01T00:00'))).toBe('2024-01-01T00:00:00+00:00');
    expect(toAirflowIso(new Date('2024-01-05T14:45:10.123+01:00'))).toBe('2024-01-05T13:45:10.123000+00:00');
    expect(runId('scheduled', at('2024-01-01'))).toBe('scheduled__2024-01-01T00:00:00+00:00');
    expect(runId('manual', at('2024-01-05T13:45:10'))).toBe('manual__2024-01-05T13:45:10+00:00');
  });

  it('parse back their type; an unknown prefix is a manual run', () => {
    expect(parseRunType('scheduled__2024-01-01T00:00:00+00:00')).toBe('scheduled');
    expect(parseRunType('backfill__2024-01-01T00:00:00+00:00')).toBe('backfill');
    expect(parseRunType('manual__2024-01-01T00:00:00+00:00')).toBe('manual');
    expect(parseRunType('dataset_triggered__2024-01-01T00:00:00+00:00')).toBe('manual');
    expect(parseRunType('my_own_id')).toBe('manual');
  });
});
