// `schedule:` (or the legacy `schedule_interval:`) -> ScheduleSpec (airflow.apache.org docs: authoring-and-scheduling/cron). Presets are expanded to cron
// here, keeping what the file said in `source`. No schedule at all means Airflow 2's default, timedelta(days=1).
import type { ScheduleSpec } from '../types.js';
import { scheduleProblem } from '../schedule/validate.js';
import { CRON_PRESETS } from '../schedule/naive-cron.js';
import { durationSeconds, timedeltaText } from './durations.js';
import { didYouMean } from './suggest.js';

/** Airflow 2's default when a DAG gives no schedule (Airflow 3 would use None). */
export const DEFAULT_SCHEDULE: ScheduleSpec = { kind: 'delta', seconds: 86400, source: timedeltaText(86400) };

export type DecodedSchedule =
  | { spec: ScheduleSpec; /** a timetable's own time zone, when it names one */ timezone?: string }
  | { error: string };

/** Decode a value already shaped by file-schema.ts's ScheduleValue. */
export function decodeSchedule(raw: unknown): DecodedSchedule {
  if (raw === undefined) return { spec: DEFAULT_SCHEDULE };
  if (raw === null) return { spec: { kind: 'none', source: 'None' } };
  if (typeof raw === 'string') return decodeText(raw);
  const obj = raw as Record<string, unknown>;
  const type = String(obj.__type__);
  if (type.endsWith('timedelta')) {
    const seconds = durationSeconds(obj);
    if (!(seconds > 0)) return { error: `a timedelta schedule must be longer than 0 seconds, not ${seconds}` };
    return { spec: { kind: 'delta', seconds, source: timedeltaText(seconds) } };
  }
  const cron = String(obj.cron).trim();
  const problem = cronError(cron);
  if (problem) return { error: problem };
  const short = type.slice(type.lastIndexOf('.') + 1);
  const tz = typeof obj.timezone === 'string' ? obj.timezone : undefined;
  return { spec: { kind: 'cron', expr: cron, source: `${short}(${cron})` }, ...(tz ? { timezone: tz } : {}) };
}

/** Longer than any cron expression or preset: not worth parsing, and not worth quoting. */
const MAX_SCHEDULE_LENGTH = 200;

function decodeText(raw: string): DecodedSchedule {
  const text = raw.trim();
  if (text.length > MAX_SCHEDULE_LENGTH) return { error: `the schedule is ${text.length} characters long: give a cron expression like '0 3 * * *', a preset like '@daily', or null` };
  const lower = text.toLowerCase();
  if (lower === 'none' || lower === '@none') return { spec: { kind: 'none', source: text } };
  if (lower === '@once') return { spec: { kind: 'once', source: text } };
  if (lower === '@continuous') return { error: `schedule '@continuous' is not supported: use a cron expression or a timedelta` };
  if (text.startsWith('@')) {
    const expr = CRON_PRESETS[lower];
    if (!expr) {
      const names = [...Object.keys(CRON_PRESETS), '@once'];
      return { error: `unknown schedule preset '${text}'${didYouMean(lower, names)}: use one of ${names.join(', ')} or a cron expression` };
    }
    return { spec: { kind: 'cron', expr, source: text } };
  }
  const problem = cronError(text);
  if (problem) return { error: problem };
  return { spec: { kind: 'cron', expr: text.split(/\s+/).join(' '), source: text } };
}

function cronError(expr: string): string | null {
  if (expr === '') return `the schedule is empty: give a cron expression like '0 3 * * *', a preset like '@daily', or null`;
  return scheduleProblem({ kind: 'cron', expr, source: expr }, 'UTC');
}
