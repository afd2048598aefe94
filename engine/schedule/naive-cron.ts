// Cron arithmetic on naive wall-clock times, as croniter does it for Airflow (no time zone, no DST: the caller
// converts). cron-parser parses and validates the expression; the stepping is ours, on plain integer fields, because
// cron-parser's own next()/prev() cost ~25 µs each (luxon objects per step) and a year of hourly runs takes several
// steps per run. Day-of-month / day-of-week follow croniter: when both are restricted a day matching either one fires.
import type { CronExpressionParser as Parser } from 'cron-parser';
import { dayOfWeek as sundayBasedWeekday, daysInMonth } from '../civil-date.js';
import { lazyRequire } from '../lazy-require.js';

const MINUTE = 60_000;
/** croniter gives up after 50 years without a match. */
const MAX_YEARS = 50;

/** Airflow's cron presets (airflow/utils/dates.py); the loader expands them, this is a safety net. */
export const CRON_PRESETS: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@quarterly': '0 0 1 */3 *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

export interface NaiveCron {
  readonly expr: string;
  /** Airflow's `_covers_every_hour`: the hour field is `*` once expanded (the DST fix for the fold hour applies). */
  readonly coversEveryHour: boolean;
  /** Minutes, hours, days of month, months (1-12), days of week (0-6), as expanded. */
  readonly fields: { minute: number[]; hour: number[]; dayOfMonth: number[]; month: number[]; dayOfWeek: number[]; lastDayOfMonth: boolean };
  /** The first fire time strictly after `wall` (croniter `get_next`). */
  next(wall: number): number;
  /** The last fire time strictly before `wall` (croniter `get_prev`). */
  prev(wall: number): number;
}

const cache = new Map<string, NaiveCron>();

/** A message saying what is wrong with a cron expression, or null when windsock can schedule it. */
export function cronProblem(expr: string): string | null {
  try {
    compileCron(expr);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

// Loaded with the first cron expression, not at start-up: a DAG without a cron schedule never needs it, and the
// import costs every command 0.1-0.2 s.
const cronParser = lazyRequire<{ CronExpressionParser: typeof Parser }>('cron-parser');

export function compileCron(expression: string): NaiveCron {
  const hit = cache.get(expression);
  if (hit) return hit;
  const compiled = compile(expression);
  cache.set(expression, compiled);
  return compiled;
}

function compile(expression: string): NaiveCron {
  const expr = CRON_PRESETS[expression.trim().toLowerCase()] ?? expression.trim();
  const raw = expr.split(/\s+/);
  const bad = (why: string) => new Error(`cron expression '${expression}' is not valid: ${why}`);
  if (raw.length !== 5) throw bad(`it has ${raw.length} fields, expected 5 (minute hour day-of-month month day-of-week)`);
  if (/[hH]/.test(expr.replace(/[a-zA-Z]{3}/g, ''))) throw bad('hashed values (H) are not supported');
  let fields;
  try {
    fields = cronParser().CronExpressionParser.parse(expr, { strict: false }).fields;
  } catch (err) {
    throw bad((err as Error).message);
  }
  const nums = (vs: readonly (number | string)[]) => vs.filter((v): v is number => typeof v === 'number');
  const minute = nums(fields.minute.values);
  const hour = nums(fields.hour.values);
  const month = nums(fields.month.values);
  const dayOfMonth = nums(fields.dayOfMonth.values);
  const lastDayOfMonth = fields.dayOfMonth.values.some((v) => v === 'L');
  const dayOfWeek = [...new Set(nums(fields.dayOfWeek.values).map((d) => d % 7))].sort((a, b) => a - b);
  const lastWeekdays = (fields.dayOfWeek.values as readonly (number | string)[])
    .filter((v): v is string => typeof v === 'string' && /^\dL$/i.test(v))
    .map((v) => Number(v[0]) % 7);
  const nth = fields.dayOfWeek.nthDay ?? 0;

  const [, , rawDom, , rawDow] = raw;
  const isStar = (f: string) => f === '*' || f === '?';
  // croniter normalises a field that lists every value to '*', except a full day field while the other day field
  // is written without '*' (then "every day of the month" still ORs with the weekdays).
  const domFull = dayOfMonth.length === 31 && !lastDayOfMonth;
  const dowFull = dayOfWeek.length === 7 && nth === 0 && lastWeekdays.length === 0;
  const domStar = isStar(rawDom) || (domFull && rawDow.includes('*'));
  const dowStar = isStar(rawDow) || (dowFull && rawDom.includes('*'));
  const either = !domStar && !dowStar;

  const minuteOk = mask(minute, 60);
  const hourOk = mask(hour, 24);
  const monthOk = mask(month, 13);
  const domOk = mask(dayOfMonth, 32);
  const dowOk = mask(dayOfWeek, 7);
  const lastDowOk = mask(lastWeekdays, 7);

  const dayOk = (y: number, m: number, d: number): boolean => {
    const last = daysInMonth(y, m);
    const wd = sundayBasedWeekday(y, m, d);
    const domMatch = domOk[d] || (lastDayOfMonth && d === last);
    const dowMatch = (dowOk[wd] && (nth <= 0 || Math.ceil(d / 7) === nth)) || (lastDowOk[wd] && d + 7 > last);
    if (either) return domMatch || dowMatch;
    return (domStar || domMatch) && (dowStar || dowMatch);
  };

  /** The first fire time at or after `from` (a whole minute). */
  const atOrAfter = (from: number): number => {
    const t = new Date(from);
    let y = t.getUTCFullYear();
    let mo = t.getUTCMonth() + 1;
    let d = t.getUTCDate();
    let h = t.getUTCHours();
    let mi = t.getUTCMinutes();
    const limit = y + MAX_YEARS;
    const nextDay = () => {
      h = 0;
      mi = 0;
      if (++d > daysInMonth(y, mo)) {
        d = 1;
        if (++mo > 12) {
          mo = 1;
          y++;
        }
      }
    };
    while (y <= limit) {
      if (!monthOk[mo]) {
        d = 1;
        h = 0;
        mi = 0;
        if (++mo > 12) {
          mo = 1;
          y++;
        }
        continue;
      }
      if (!dayOk(y, mo, d)) {
        nextDay();
        continue;
      }
      if (!hourOk[h]) {
        const nh = firstAbove(hour, h);
        if (nh < 0) nextDay();
        else {
          h = nh;
          mi = 0;
        }
        continue;
      }
      if (!minuteOk[mi]) {
        const nm = firstAbove(minute, mi);
        if (nm >= 0) mi = nm;
        else if (h < 23) {
          h++;
          mi = 0;
        } else nextDay();
        continue;
      }
      return Date.UTC(y, mo - 1, d, h, mi);
    }
    throw new Error(`cron expression '${expression}' has no fire time within ${MAX_YEARS} years`);
  };

  /** The last fire time at or before `from` (a whole minute). */
  const atOrBefore = (from: number): number => {
    const t = new Date(from);
    let y = t.getUTCFullYear();
    let mo = t.getUTCMonth() + 1;
    let d = t.getUTCDate();
    let h = t.getUTCHours();
    let mi = t.getUTCMinutes();
    const limit = y - MAX_YEARS;
    const prevDay = () => {
      h = 23;
      mi = 59;
      if (--d < 1) {
        if (--mo < 1) {
          mo = 12;
          y--;
        }
        d = daysInMonth(y, mo);
      }
    };
    while (y >= limit) {
      if (!monthOk[mo]) {
        if (--mo < 1) {
          mo = 12;
          y--;
        }
        d = daysInMonth(y, mo);
        h = 23;
        mi = 59;
        continue;
      }
      if (!dayOk(y, mo, d)) {
        prevDay();
        continue;
      }
      if (!hourOk[h]) {
        const ph = lastBelow(hour, h);
        if (ph < 0) prevDay();
        else {
          h = ph;
          mi = 59;
        }
        continue;
      }
      if (!minuteOk[mi]) {
        const pm = lastBelow(minute, mi);
        if (pm >= 0) mi = pm;
        else if (h > 0) {
          h--;
          mi = 59;
        } else prevDay();
        continue;
      }
      return Date.UTC(y, mo - 1, d, h, mi);
    }
    throw new Error(`cron expression '${expression}' has no fire time within the previous ${MAX_YEARS} years`);
  };

  return {
    expr,
    coversEveryHour: hour.length === 24,
    fields: { minute, hour, dayOfMonth, month, dayOfWeek, lastDayOfMonth },
    // Strictly after: the next whole minute after `wall` (croniter floors seconds then adds a minute).
    next: (wall) => atOrAfter(Math.floor(wall / MINUTE) * MINUTE + MINUTE),
    // Strictly before: the last whole minute before `wall`.
    prev: (wall) => atOrBefore(Math.ceil(wall / MINUTE) * MINUTE - MINUTE),
  };
}

function mask(values: readonly number[], size: number): boolean[] {
  const m = new Array<boolean>(size).fill(false);
  for (const v of values) if (v >= 0 && v < size) m[v] = true;
  return m;
}

function firstAbove(sorted: readonly number[], x: number): number {
  for (const v of sorted) if (v > x) return v;
  return -1;
}

function lastBelow(sorted: readonly number[], x: number): number {
  for (let i = sorted.length - 1; i >= 0; i--) if (sorted[i] < x) return sorted[i];
  return -1;
}
