// Python's strftime / strptime for the directives Airflow templates use (%Y %m %d %H %M %S %f %y %b %B %a %A %j %p %I
// %z %Z %U %W %w %u %V %G %c %x %X %e %%, and glibc's %-d style "no padding" flag), in the C locale.
import { daysInMonth, pythonWeekday } from '../civil-date.js';

/** A calendar date and wall-clock time; `offsetMinutes` is null for a naive datetime (as strptime makes without %z). */
export interface DateFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
  offsetMinutes: number | null;
  tzName: string | null;
}

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (n: number, width: number, fill = '0') => String(n).padStart(width, fill);

/** Monday = 0 ... Sunday = 6 (Python's weekday()). */
function weekday(f: DateFields): number {
  return pythonWeekday(f.year, f.month, f.day);
}

/** 1-based day of the year. */
function yearDay(f: DateFields): number {
  return Math.round((Date.UTC(f.year, f.month - 1, f.day) - Date.UTC(f.year, 0, 1)) / 86_400_000) + 1;
}

/** ISO 8601 week-numbering year and week. */
function isoWeek(f: DateFields): { year: number; week: number } {
  const d = new Date(Date.UTC(f.year, f.month - 1, f.day));
  d.setUTCDate(d.getUTCDate() + 3 - weekday(f)); // the Thursday of this week decides the year
  const year = d.getUTCFullYear();
  const week = Math.floor((d.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return { year, week };
}

export function formatOffset(minutes: number, sep = ''): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60), 2)}${sep}${pad(abs % 60, 2)}`;
}

/** One directive; `noPad` is glibc's `%-d`. */
function directive(c: string, f: DateFields, noPad: boolean): string | null {
  const num = (n: number, width: number) => (noPad ? String(n) : pad(n, width));
  const wd = weekday(f);
  const hour12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  switch (c) {
    case 'a': return DAYS[wd].slice(0, 3);
    case 'A': return DAYS[wd];
    case 'w': return String((wd + 1) % 7);
    case 'u': return String(wd + 1);
    case 'd': return num(f.day, 2);
    case 'e': return noPad ? String(f.day) : pad(f.day, 2, ' ');
    case 'b': case 'h': return MONTHS[f.month - 1].slice(0, 3);
    case 'B': return MONTHS[f.month - 1];
    case 'm': return num(f.month, 2);
    case 'y': return num(f.year % 100, 2);
    case 'Y': return String(f.year);
    case 'H': return num(f.hour, 2);
    case 'I': return num(hour12, 2);
    case 'p': return f.hour < 12 ? 'AM' : 'PM';
    case 'M': return num(f.minute, 2);
    case 'S': return num(f.second, 2);
    case 'f': return pad(f.microsecond, 6);
    case 'z': return f.offsetMinutes === null ? '' : formatOffset(f.offsetMinutes);
    case 'Z': return f.tzName ?? '';
    case 'j': return num(yearDay(f), 3);
    case 'U': return num(Math.floor((yearDay(f) - 1 + 7 - ((wd + 1) % 7)) / 7), 2);
    case 'W': return num(Math.floor((yearDay(f) - 1 + 7 - wd) / 7), 2);
    case 'V': return num(isoWeek(f).week, 2);
    case 'G': return String(isoWeek(f).year);
    case 'c': return `${DAYS[wd].slice(0, 3)} ${MONTHS[f.month - 1].slice(0, 3)} ${pad(f.day, 2, ' ')} ${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)} ${f.year}`;
    case 'x': return `${pad(f.month, 2)}/${pad(f.day, 2)}/${pad(f.year % 100, 2)}`;
    case 'X': return `${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}`;
    case 'F': return `${f.year}-${pad(f.month, 2)}-${pad(f.day, 2)}`;
    case 'T': return `${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}`;
    case '%': return '%';
    default: return null;
  }
}

export function strftime(f: DateFields, format: string): string {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch !== '%' || i === format.length - 1) {
      out += ch;
      continue;
    }
    const noPad = format[i + 1] === '-' && i + 2 < format.length;
    const c = format[noPad ? i + 2 : i + 1];
    const text = directive(c, f, noPad);
    if (text === null) out += noPad ? `%-${c}` : `%${c}`; // like glibc: unknown directives pass through
    else out += text;
    i += noPad ? 2 : 1;
  }
  return out;
}

const NAME_ALTERNATIVES = (names: string[], len?: number) => names.map((n) => (len ? n.slice(0, len) : n)).join('|');

/** The regular expression for one strptime directive (Python's _strptime.TimeRE, simplified). */
const PARSE_PATTERNS: Record<string, string> = {
  Y: '(?<Y>\\d{4})',
  y: '(?<y>\\d{2})',
  m: '(?<m>1[0-2]|0[1-9]|[1-9])',
  d: '(?<d>3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])',
  H: '(?<H>2[0-3]|[01]\\d|\\d)',
  I: '(?<I>1[0-2]|0[1-9]|[1-9])',
  M: '(?<M>[0-5]\\d|\\d)',
  S: '(?<S>6[01]|[0-5]\\d|\\d)',
  f: '(?<f>\\d{1,6})',
  p: '(?<p>am|pm)',
  j: '(?<j>36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])',
  b: `(?<b>${NAME_ALTERNATIVES(MONTHS, 3)})`,
  B: `(?<B>${NAME_ALTERNATIVES(MONTHS)})`,
  a: `(?:${NAME_ALTERNATIVES(DAYS, 3)})`,
  A: `(?:${NAME_ALTERNATIVES(DAYS)})`,
  z: '(?<z>Z|[+-]\\d\\d:?[0-5]\\d)',
  Z: '(?:[A-Za-z]{1,5})',
  '%': '%',
};

const parserCache = new Map<string, RegExp>();

function parser(format: string): RegExp {
  let re = parserCache.get(format);
  if (re) return re;
  let src = '';
  const seen = new Set<string>();
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch === '%' && i + 1 < format.length) {
      const c = format[++i];
      const p = PARSE_PATTERNS[c];
      if (!p) throw new Error(`'${c}' is a bad directive in format '${format}'`);
      // A named group may appear once; a repeated directive is matched but not captured again.
      src += seen.has(c) ? p.replace(/\?<\w+>/, '?:') : p;
      seen.add(c);
    } else if (/\s/.test(ch)) src += '\\s+';
    else src += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  re = new RegExp(`^${src}$`, 'i');
  parserCache.set(format, re);
  return re;
}

const monthIndex = (name: string, len?: number) => MONTHS.findIndex((m) => (len ? m.slice(0, len) : m).toLowerCase() === name.toLowerCase()) + 1;

/** Python's datetime.strptime: throws a ValueError-like message when the text does not match. */
export function strptime(text: string, format: string): DateFields {
  const m = parser(format).exec(text);
  if (!m) throw new Error(`time data '${text}' does not match format '${format}'`);
  const g = m.groups ?? {};
  const f: DateFields = { year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0, microsecond: 0, offsetMinutes: null, tzName: null };
  if (g.Y) f.year = Number(g.Y);
  else if (g.y) f.year = Number(g.y) + (Number(g.y) <= 68 ? 2000 : 1900);
  if (g.m) f.month = Number(g.m);
  else if (g.b) f.month = monthIndex(g.b, 3);
  else if (g.B) f.month = monthIndex(g.B);
  if (g.d) f.day = Number(g.d.trim());
  if (g.j && !g.m && !g.b && !g.B && !g.d) {
    const d = new Date(Date.UTC(f.year, 0, Number(g.j)));
    f.month = d.getUTCMonth() + 1;
    f.day = d.getUTCDate();
  }
  if (g.H) f.hour = Number(g.H);
  else if (g.I) f.hour = (Number(g.I) % 12) + (g.p?.toLowerCase() === 'pm' ? 12 : 0);
  if (g.M) f.minute = Number(g.M);
  if (g.S) f.second = Math.min(Number(g.S), 59);
  if (g.f) f.microsecond = Number(g.f.padEnd(6, '0'));
  if (g.z) f.offsetMinutes = g.z.toUpperCase() === 'Z' ? 0 : (g.z[0] === '-' ? -1 : 1) * (Number(g.z.slice(1, 3)) * 60 + Number(g.z.slice(-2)));
  if (f.day > daysInMonth(f.year, f.month)) throw new Error(`day is out of range for month in '${text}'`);
  return f;
}

/** Fields of a naive datetime, read as UTC (for date arithmetic on calendar values). */
export function fieldsToUtcMillis(f: DateFields): number {
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, Math.floor(f.microsecond / 1000)) - (f.offsetMinutes ?? 0) * 60_000;
}

export function utcMillisToFields(ms: number, microsecond = (((ms % 1000) + 1000) % 1000) * 1000): DateFields {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(), microsecond, offsetMinutes: null, tzName: null,
  };
}
