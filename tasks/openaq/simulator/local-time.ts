// Europe/Paris wall-clock facts of an instant, memoised per hour: luxon's time-zone arithmetic (Intl under the hood)
// is the simulator's hottest path, and every row needs it several times.
import { DateTime } from 'luxon';

export const SIM_TIMEZONE = 'Europe/Paris';
export const HOUR_MS = 3_600_000;

export interface LocalHour {
  /** Minutes east of UTC (60 in winter, 120 in summer). */
  offset: number;
  hour: number;
  /** 1 = Monday .. 7 = Sunday. */
  weekday: number;
  /** Day of the year, 1-based. */
  ordinal: number;
}

const memo = new Map<number, LocalHour>();

/** The local facts of the hour containing `ms` (offsets change on whole hours in Europe/Paris). */
export function localHour(ms: number): LocalHour {
  const key = Math.floor(ms / HOUR_MS);
  let v = memo.get(key);
  if (!v) {
    const dt = DateTime.fromMillis(key * HOUR_MS, { zone: SIM_TIMEZONE });
    v = { offset: dt.offset, hour: dt.hour, weekday: dt.weekday, ordinal: dt.ordinal };
    if (memo.size > 200_000) memo.clear();
    memo.set(key, v);
  }
  return v;
}

/** "2024-04-20T02:00:00+02:00" for an instant in Europe/Paris. */
export function localIso(ms: number): string {
  const { offset } = localHour(ms);
  const wall = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
