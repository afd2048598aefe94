// Small builders for the schedule tests: schedules as the loader produces them, restrictions, readable intervals.
import type { ScheduleSpec } from '../../../engine/types.js';
import type { DagRunInfo, TimeRestriction } from '../../../engine/schedule/index.js';

export const cron = (expr: string, source = expr): ScheduleSpec => ({ kind: 'cron', expr, source });
export const hourly = cron('0 * * * *', '@hourly');
export const daily = cron('0 0 * * *', '@daily');
export const delta = (seconds: number): ScheduleSpec => ({ kind: 'delta', seconds, source: `${seconds}s` });
export const once: ScheduleSpec = { kind: 'once', source: '@once' };
export const none: ScheduleSpec = { kind: 'none', source: 'null' };
export const HOUR = 3600;
export const DAY = 86400;

export const at = (iso: string): Date => new Date(iso.endsWith('Z') || /[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`);

export function restriction(earliest: string | null, catchup: boolean, latest: string | null = null): TimeRestriction {
  return { earliest: earliest ? at(earliest) : null, latest: latest ? at(latest) : null, catchup };
}

export const interval = (start: string, end: string) => ({ start: at(start), end: at(end) });

/** "start -> end" in UTC ISO without milliseconds, to compare runs at a glance. */
export function show(info: DagRunInfo | null): string | null {
  if (!info) return null;
  const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
  return `${iso(info.dataInterval.start)} -> ${iso(info.dataInterval.end)}`;
}

export const hours = (info: DagRunInfo): number => (info.dataInterval.end.getTime() - info.dataInterval.start.getTime()) / 3_600_000;
