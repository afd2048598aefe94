// Paris local time of an instant, whatever the browser's time zone (the diurnal profile must not move with the
// viewer). Intl does the zone rules; results are cached per UTC hour, since many rows share one.
const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', weekday: 'short', hourCycle: 'h23' });
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export interface ParisTime {
  /** 0..23 */
  hour: number;
  /** 0 = Monday .. 6 = Sunday */
  weekday: number;
  /** The Paris local day as UTC midnight of that date (ms), a stable key for a day. */
  day: number;
}

const cache = new Map<number, ParisTime>();

export function parisTime(ms: number): ParisTime {
  let t = cache.get(ms);
  if (!t) {
    const p = Object.fromEntries(parts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    t = { hour: Number(p.hour), weekday: WEEKDAYS.indexOf(p.weekday!), day: Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day)) };
    cache.set(ms, t);
  }
  return t;
}

export const WEEKDAY_NAMES = WEEKDAYS;

const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const fmtDay = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });

/** "10 May 2024, 00:00" in Paris time. */
export const parisLabel = (ms: number) => fmt.format(new Date(ms));
/** "10 May 2024" for a day key. */
export const dayLabel = (day: number) => fmtDay.format(new Date(day));
/** "2024-05-10" for a day key. */
export const isoDay = (day: number) => new Date(day).toISOString().slice(0, 10);
