// A short human description of a schedule for listings ("At 00:00 every day, Europe/Paris").
import type { ScheduleSpec } from '../types.js';
import { compileCron } from './naive-cron.js';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const UNITS: [number, string][] = [
  [604_800, 'week'],
  [86_400, 'day'],
  [3_600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

export function describeSchedule(schedule: ScheduleSpec, timezone: string): string {
  switch (schedule.kind) {
    case 'none':
      return 'Never, external triggers only';
    case 'once':
      return 'Once, as soon as possible';
    case 'delta':
      return describeDelta(schedule.seconds);
    case 'cron':
      return `${describeCron(schedule.expr)}, ${timezone}`;
  }
}

function describeDelta(seconds: number): string {
  for (const [size, unit] of UNITS) {
    if (seconds % size === 0) {
      const n = seconds / size;
      return n === 1 ? `Every ${unit}` : `Every ${n} ${unit}s`;
    }
  }
  return `Every ${seconds} seconds`;
}

function describeCron(expr: string): string {
  let cron;
  try {
    cron = compileCron(expr);
  } catch {
    return `Cron "${expr}"`;
  }
  const { minute, hour, dayOfMonth, month, dayOfWeek, lastDayOfMonth } = cron.fields;
  const [, , rawDom, rawMonth, rawDow] = cron.expr.split(/\s+/);
  const anyDay = rawDom === '*' && rawMonth === '*';
  const time = minute.length === 1 && hour.length === 1 ? `${pad(hour[0])}:${pad(minute[0])}` : null;
  if (time && anyDay && rawDow === '*') return `At ${time} every day`;
  if (time && anyDay && dayOfWeek.length === 1) return `At ${time} every ${WEEKDAYS[dayOfWeek[0]]}`;
  if (time && rawDow === '*' && rawMonth === '*' && dayOfMonth.length === 1 && !lastDayOfMonth) return `At ${time} on day ${dayOfMonth[0]} of every month`;
  if (time && rawDow === '*' && dayOfMonth.length === 1 && month.length === 1) return `At ${time} on ${monthDay(month[0], dayOfMonth[0])} every year`;
  if (time && rawDow === '*' && dayOfMonth.length === 1 && month.length === 4 && month.every((m, i) => m === month[0] + 3 * i))
    return `At ${time} on day ${dayOfMonth[0]} of every quarter`;
  if (minute.length === 1 && cron.coversEveryHour && anyDay && rawDow === '*') return minute[0] === 0 ? 'Every hour' : `At minute ${minute[0]} of every hour`;
  if (cron.expr === '* * * * *') return 'Every minute';
  return `Cron "${cron.expr}"`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function monthDay(month: number, day: number): string {
  const name = new Date(Date.UTC(2000, month - 1, 1)).toLocaleString('en', { month: 'long', timeZone: 'UTC' });
  return `${name} ${day}`;
}
