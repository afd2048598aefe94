// Dates given on the command line: YYYY-MM-DD (midnight in the DAG's time zone) or an ISO 8601 datetime.
import { DateTime } from 'luxon';
import { UserError } from '../engine/types.js';

export function parseInstant(raw: string, flag: string, timezone = 'UTC'): Date {
  const dt = DateTime.fromISO(raw, { zone: timezone, setZone: false });
  if (!dt.isValid || !/^\d{4}-\d{2}-\d{2}/.test(raw)) {
    throw new UserError(`${flag} '${raw}' is not a date: use YYYY-MM-DD or an ISO 8601 datetime such as 2024-04-20T06:00:00+02:00`);
  }
  return dt.toJSDate();
}
