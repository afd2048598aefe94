// Timestamps as OpenAQ writes them: {"utc": "2024-04-20T00:00:00Z", "local": "2024-04-20T02:00:00+02:00"}.
import { DateTime } from 'luxon';
import { HOUR_MS, SIM_TIMEZONE, localIso } from './local-time.js';

export { HOUR_MS };
/** The simulated network's first hourly value (period end). */
export const DATA_FIRST_MS = Date.UTC(2016, 10, 22, 1);

export interface DateTimePair {
  utc: string;
  local: string;
}

export function pair(ms: number): DateTimePair {
  return { utc: new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'), local: localIso(ms) };
}

/**
 * A datetime query value as the API reads it: with Z or an offset it is absolute; a bare date or naive datetime is
 * taken in the location's time zone. NaN when unreadable.
 */
export function parseApiDateTime(s: string, zone = SIM_TIMEZONE): number {
  const dt = DateTime.fromISO(s.trim().replace(' ', '+'), { zone });
  return dt.isValid ? dt.toMillis() : NaN;
}

export function floorHour(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}
