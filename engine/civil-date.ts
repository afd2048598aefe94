// Calendar arithmetic on proleptic Gregorian dates (year, month 1-12, day), shared by cron matching, strftime and
// the pipeline's local dates, so there is one leap-year rule and one weekday numbering to get right.

/** Days in month `m` (1-12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : MONTH_DAYS[m - 1];
}

export function isLeapYear(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

/** Sunday = 0 ... Saturday = 6 (cron's and JavaScript's numbering). */
export function dayOfWeek(y: number, m: number, d: number): number {
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** Monday = 0 ... Sunday = 6 (Python's date.weekday()). */
export function pythonWeekday(y: number, m: number, d: number): number {
  return (dayOfWeek(y, m, d) + 6) % 7;
}

const MONTH_DAYS = [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
