// Paris local time of an instant, whatever the browser's time zone (the diurnal profile must not move with the
// viewer). Intl knows the zone's rules; it is asked for the offset twice per UTC day (and per hour only on the two days
// a year the offset changes), the rest is arithmetic: a year is 8,784 hours, and an Intl call for each was the largest
// cost of reading the stream.
const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface ParisTime {
  /** 0..23 */
  hour: number;
  /** 0 = Monday .. 6 = Sunday */
  weekday: number;
  /** The Paris local day as UTC midnight of that date (ms), a stable key for a day. */
  day: number;
}

/** Paris's offset from UTC at `ms` (whole hours: Paris has had no other since 1911), from Intl. */
function intlOffset(ms: number): number {
  const p = Object.fromEntries(parts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour)) - Math.floor(ms / HOUR) * HOUR;
}

/** UTC day (ms) -> its offset, or NaN for a day on which the offset changes. */
const dayOffsets = new Map<number, number>();

function offsetAt(ms: number): number {
  const day = Math.floor(ms / DAY) * DAY;
  let o = dayOffsets.get(day);
  if (o === undefined) {
    // the offset changes at most once a day: the same at the day's first and last hour, the same all day
    const first = intlOffset(day);
    o = first === intlOffset(day + DAY - HOUR) ? first : NaN;
    dayOffsets.set(day, o);
  }
  return Number.isNaN(o) ? intlOffset(ms) : o;
}

const cache = new Map<number, ParisTime>();

export function parisTime(ms: number): ParisTime {
  let t = cache.get(ms);
  if (!t) {
    const local = ms + offsetAt(ms);
    const days = Math.floor(local / DAY);
    // 1 January 1970 was a Thursday (3, Monday first)
    t = { hour: Math.floor((local - days * DAY) / HOUR), weekday: (((days + 3) % 7) + 7) % 7, day: days * DAY };
    cache.set(ms, t);
  }
  return t;
}

export const WEEKDAY_NAMES = WEEKDAYS;

/** The instant the Paris local day `iso` (YYYY-MM-DD) starts: 22:00 or 23:00 UTC the day before. */
export function parisMidnight(iso: string): number {
  const utc = Date.parse(`${iso}T00:00:00Z`);
  for (const h of [2, 1, 0]) if (parisTime(utc - h * HOUR).hour === 0 && parisTime(utc - h * HOUR).day === utc) return utc - h * HOUR;
  return utc;
}

const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const fmtDay = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });

/** "10 May 2024, 00:00" in Paris time. */
export const parisLabel = (ms: number) => fmt.format(new Date(ms));
/** "10 May 2024" for a day key. */
export const dayLabel = (day: number) => fmtDay.format(new Date(day));
/** "2024-05-10" for a day key. */
export const isoDay = (day: number) => new Date(day).toISOString().slice(0, 10);
