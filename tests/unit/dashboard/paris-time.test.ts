// The dashboard's Paris local time (ui/dashboard/paris-time.ts, browser code bundled by esbuild, imported here from
// its source: it needs nothing of the DOM): every hour of 2024, the two daylight-saving change days above all, against
// Intl.DateTimeFormat asked about each instant on its own, with the process in another time zone than Paris's (the
// dashboard must not depend on the browser's). The changes are the EU's: the last Sundays of March and October at
// 01:00 UTC (Directive 2000/84/EC), 2024-03-31 and 2024-10-27.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type ParisTimeModule = typeof import('../../../ui/dashboard/paris-time.js');
let pt: ParisTimeModule;
const tz = process.env.TZ;

beforeAll(async () => {
  // before the module loads, so that nothing it computes at load time could use Paris's rules by accident
  process.env.TZ = 'America/New_York';
  pt = await import('../../../ui/dashboard/paris-time.js');
});

afterAll(() => {
  if (tz === undefined) delete process.env.TZ;
  else process.env.TZ = tz;
});

const HOUR = 3_600_000;
const DAY = 86_400_000;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const intl = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', hourCycle: 'h23', weekday: 'short' });

/** What Intl says of the instant `ms` in Paris: hour, weekday (Monday 0) and date (as UTC midnight of that date). */
function expected(ms: number) {
  const p = Object.fromEntries(intl.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { hour: Number(p.hour), weekday: WEEKDAYS.indexOf(p.weekday!), day: Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day)) };
}

/** The hours of the Paris day `iso` as parisTime labels them, from the UTC hours around it. */
function hoursOf(iso: string): number[] {
  const day = Date.parse(`${iso}T00:00:00Z`);
  const out: number[] = [];
  for (let t = day - 3 * HOUR; t < day + DAY + 3 * HOUR; t += HOUR) if (pt.parisTime(t).day === day) out.push(pt.parisTime(t).hour);
  return out;
}

describe('parisTime', () => {
  it('runs in a process whose own zone is not Paris (New York: UTC-5 in January)', () => {
    expect(new Date(Date.UTC(2024, 0, 15)).getTimezoneOffset()).toBe(300);
  });

  it('agrees with Intl on every hour of 2024, and at every seventh minute of the two change days and the days around them', () => {
    const mismatches: string[] = [];
    const check = (t: number) => {
      const got = pt.parisTime(t);
      const want = expected(t);
      if (got.hour !== want.hour || got.weekday !== want.weekday || got.day !== want.day) mismatches.push(`${new Date(t).toISOString()}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
    };
    let n = 0;
    for (let t = Date.UTC(2023, 11, 31); t < Date.UTC(2025, 0, 2); t += HOUR, n++) check(t);
    // instants off the hour, on the change days and the days either side
    for (const d of [Date.UTC(2024, 2, 30), Date.UTC(2024, 9, 26)]) for (let t = d; t < d + 3 * DAY; t += 60_000 * 7) check(t);
    expect(n).toBe((366 + 2) * 24);
    expect(mismatches).toEqual([]);
  });

  it('gives the spring change day 23 hours, without 02:00', () => {
    // 2024-03-31T00:00Z is 01:00 CET; an hour later it is 03:00 CEST
    expect(pt.parisTime(Date.UTC(2024, 2, 31, 0)).hour).toBe(1);
    expect(pt.parisTime(Date.UTC(2024, 2, 31, 1)).hour).toBe(3);
    expect(hoursOf('2024-03-31')).toEqual([0, 1, ...Array.from({ length: 21 }, (_, i) => i + 3)]);
    expect(pt.parisTime(Date.UTC(2024, 2, 31, 1)).weekday).toBe(6);
  });

  it('gives the autumn change day 25 hours, 02:00 twice', () => {
    // 2024-10-27T00:00Z is 02:00 CEST; an hour later it is 02:00 CET again
    expect(pt.parisTime(Date.UTC(2024, 9, 27, 0)).hour).toBe(2);
    expect(pt.parisTime(Date.UTC(2024, 9, 27, 1)).hour).toBe(2);
    expect(hoursOf('2024-10-27')).toEqual([0, 1, 2, 2, ...Array.from({ length: 21 }, (_, i) => i + 3)]);
  });

  it('keeps the days either side of the changes at 24 hours', () => {
    for (const iso of ['2024-03-30', '2024-04-01', '2024-10-26', '2024-10-28']) expect(hoursOf(iso), iso).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });
});

describe('parisMidnight', () => {
  it('is 23:00 UTC the day before in winter time and 22:00 UTC in summer time, across both changes', () => {
    expect(new Date(pt.parisMidnight('2024-03-30')).toISOString()).toBe('2024-03-29T23:00:00.000Z');
    expect(new Date(pt.parisMidnight('2024-03-31')).toISOString()).toBe('2024-03-30T23:00:00.000Z');
    expect(new Date(pt.parisMidnight('2024-04-01')).toISOString()).toBe('2024-03-31T22:00:00.000Z');
    expect(new Date(pt.parisMidnight('2024-10-27')).toISOString()).toBe('2024-10-26T22:00:00.000Z');
    expect(new Date(pt.parisMidnight('2024-10-28')).toISOString()).toBe('2024-10-27T23:00:00.000Z');
    // the change days' lengths, from their midnights
    expect((pt.parisMidnight('2024-04-01') - pt.parisMidnight('2024-03-31')) / HOUR).toBe(23);
    expect((pt.parisMidnight('2024-10-28') - pt.parisMidnight('2024-10-27')) / HOUR).toBe(25);
  });

  it('is the instant Intl calls 00:00 of that date in Paris, for every day of 2024', () => {
    const wrong: string[] = [];
    for (let d = Date.UTC(2024, 0, 1); d < Date.UTC(2025, 0, 1); d += DAY) {
      const iso = new Date(d).toISOString().slice(0, 10);
      const m = pt.parisMidnight(iso);
      const at = expected(m);
      const before = expected(m - 1);
      if (at.hour !== 0 || at.day !== d || before.day === d) wrong.push(`${iso}: ${new Date(m).toISOString()}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('the labels', () => {
  it('show Paris wall-clock time, the repeated autumn hour twice, and days by their date', () => {
    expect(pt.parisLabel(Date.UTC(2024, 2, 31, 1))).toBe('31 Mar 2024, 03:00');
    expect(pt.parisLabel(Date.UTC(2024, 9, 27, 0))).toBe(pt.parisLabel(Date.UTC(2024, 9, 27, 1)));
    expect(pt.dayLabel(pt.parisTime(Date.UTC(2024, 9, 27, 12)).day)).toBe('27 Oct 2024');
    expect(pt.isoDay(pt.parisTime(pt.parisMidnight('2024-03-31')).day)).toBe('2024-03-31');
  });
});
