// Our cron stepping on naive wall-clock time, checked against cron-parser itself (in UTC, where there is no DST and
// both must agree), plus croniter's rules and the validation messages the DAG loader shows.
import { CronExpressionParser } from 'cron-parser';
import { describe, expect, it } from 'vitest';
import { compileCron, cronProblem } from '../../../engine/schedule/naive-cron.js';
import { describeSchedule, scheduleProblem } from '../../../engine/schedule/index.js';
import { cron, daily, delta, none, once } from './helpers.js';

const EXPRESSIONS = [
  '0 * * * *',
  '*/10 * * * *',
  '30 16 * * *',
  '0 0 * * 0',
  '0 0 1 * *',
  '0 0 1 */3 *',
  '15 9-17/2 * * mon-fri',
  '0 0 13 * 5',
  '0 12 L * *',
  '0 0 * * 5#2',
  '0 0 * * 5L',
  '5 4 29 2 *',
  '59 23 31 12 *',
  '0,30 0-5 1,15 jan,jul *',
];

describe('compileCron', () => {
  for (const expr of EXPRESSIONS) {
    it(`agrees with cron-parser on "${expr}" forwards and backwards`, () => {
      const ours = compileCron(expr);
      for (const from of ['2023-12-31T12:34:56.789Z', '2024-02-29T00:00:00Z', '2024-07-01T00:00:30Z']) {
        const it = CronExpressionParser.parse(expr, { currentDate: new Date(from), tz: 'UTC' });
        let t = Date.parse(from);
        for (let i = 0; i < 60; i++) {
          t = ours.next(t);
          expect(new Date(t).toISOString()).toBe(it.next().toDate().toISOString());
        }
        const back = CronExpressionParser.parse(expr, { currentDate: new Date(from), tz: 'UTC' });
        t = Date.parse(from);
        for (let i = 0; i < 60; i++) {
          t = ours.prev(t);
          expect(new Date(t).toISOString()).toBe(back.prev().toDate().toISOString());
        }
      }
    });
  }

  it('steps strictly after and strictly before, to the minute', () => {
    const c = compileCron('* * * * *');
    expect(c.next(Date.parse('2024-01-01T10:00:00Z'))).toBe(Date.parse('2024-01-01T10:01:00Z'));
    expect(c.next(Date.parse('2024-01-01T10:00:59.999Z'))).toBe(Date.parse('2024-01-01T10:01:00Z'));
    expect(c.prev(Date.parse('2024-01-01T10:00:00Z'))).toBe(Date.parse('2024-01-01T09:59:00Z'));
    expect(c.prev(Date.parse('2024-01-01T10:00:00.001Z'))).toBe(Date.parse('2024-01-01T10:00:00Z'));
  });

  it("knows when a schedule covers every hour (Airflow's fold-hour fix applies)", () => {
    expect(compileCron('0 * * * *').coversEveryHour).toBe(true);
    expect(compileCron('*/5 0-23 * * *').coversEveryHour).toBe(true);
    expect(compileCron('0 */2 * * *').coversEveryHour).toBe(false);
    expect(compileCron('0 0 * * *').coversEveryHour).toBe(false);
  });

  it('ORs day of month and day of week when both are restricted, like croniter', () => {
    const c = compileCron('0 0 1 * 1'); // the 1st of the month, or any Monday
    const days: string[] = [];
    let t = Date.parse('2024-04-27T00:00:00Z');
    for (let i = 0; i < 4; i++) days.push(new Date((t = c.next(t))).toISOString().slice(0, 10));
    expect(days).toEqual(['2024-04-29', '2024-05-01', '2024-05-06', '2024-05-13']);
  });

  it('expands presets that reach it unexpanded', () => {
    expect(compileCron('@daily').next(Date.parse('2024-01-01T05:00:00Z'))).toBe(Date.parse('2024-01-02T00:00:00Z'));
  });
});

describe('cronProblem / scheduleProblem', () => {
  it('explains invalid cron expressions in one line', () => {
    expect(cronProblem('0 0 * * *')).toBeNull();
    expect(cronProblem('0 0 1 13 0')).toMatch(/^cron expression '0 0 1 13 0' is not valid: .*13/);
    expect(cronProblem('0 0 * * * *')).toBe("cron expression '0 0 * * * *' is not valid: it has 6 fields, expected 5 (minute hour day-of-month month day-of-week)");
    expect(cronProblem('every day')).toMatch(/is not valid/);
    expect(cronProblem('H * * * *')).toMatch(/hashed values/);
    expect(cronProblem('0 0 30 2 *')).toMatch(/is not valid/);
  });

  it('checks the time zone and the timedelta too', () => {
    expect(scheduleProblem(daily, 'Europe/Paris')).toBeNull();
    expect(scheduleProblem(daily, 'Europe/Pariss')).toBe("unknown time zone 'Europe/Pariss': use an IANA name such as Europe/Paris or UTC");
    expect(scheduleProblem(delta(0), 'UTC')).toMatch(/must be positive/);
    expect(scheduleProblem(cron('61 * * * *'), 'UTC')).toMatch(/not valid/);
    expect(scheduleProblem(once, 'UTC')).toBeNull();
  });
});

describe('describeSchedule', () => {
  it('says in a few words when a DAG runs', () => {
    expect(describeSchedule(daily, 'Europe/Paris')).toBe('At 00:00 every day, Europe/Paris');
    expect(describeSchedule(cron('0 * * * *'), 'UTC')).toBe('Every hour, UTC');
    expect(describeSchedule(cron('0 0 * * 0'), 'UTC')).toBe('At 00:00 every Sunday, UTC');
    expect(describeSchedule(cron('0 0 1 * *'), 'UTC')).toBe('At 00:00 on day 1 of every month, UTC');
    expect(describeSchedule(cron('0 0 1 1 *'), 'UTC')).toBe('At 00:00 on January 1 every year, UTC');
    expect(describeSchedule(cron('0 0 1 */3 *'), 'UTC')).toBe('At 00:00 on day 1 of every quarter, UTC');
    expect(describeSchedule(cron('*/10 9-17 * * 1-5'), 'UTC')).toBe('Cron "*/10 9-17 * * 1-5", UTC');
    expect(describeSchedule(delta(86400), 'UTC')).toBe('Every day');
    expect(describeSchedule(delta(6 * 3600), 'UTC')).toBe('Every 6 hours');
    expect(describeSchedule(once, 'UTC')).toBe('Once, as soon as possible');
    expect(describeSchedule(none, 'UTC')).toBe('Never, external triggers only');
  });
});
