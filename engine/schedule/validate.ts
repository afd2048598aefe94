// What the DAG loader asks before accepting a schedule: can windsock compute runs for it in this time zone?
import type { ScheduleSpec } from '../types.js';
import { cronProblem } from './naive-cron.js';
import { isKnownZone } from './zone.js';

/** A one-line message saying what is wrong, or null when the schedule and time zone are usable. */
export function scheduleProblem(schedule: ScheduleSpec, timezone: string): string | null {
  if (!isKnownZone(timezone)) return `unknown time zone '${timezone}': use an IANA name such as Europe/Paris or UTC`;
  if (schedule.kind === 'cron') return cronProblem(schedule.expr);
  if (schedule.kind === 'delta' && !(schedule.seconds > 0)) return `schedule interval must be positive, not ${schedule.seconds} seconds`;
  return null;
}
