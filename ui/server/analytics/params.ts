// The query parameters of the analytics endpoints, checked. Pure. A bad value is a 400 whose detail says which
// parameter, what was wrong and what to send instead.
import { DateTime } from 'luxon';
import { ApiError } from '../errors.js';

/** The pollutants the dashboard shows, with their WHO 2021 guideline (µg/m³; 24-hour means, 8-hour for ozone). */
export const POLLUTANTS = { pm25: 15, pm10: 45, no2: 25, o3: 100 } as const;
export type Pollutant = keyof typeof POLLUTANTS;

/** Longest range one request may ask for, in days (ten years). */
export const MAX_DAYS = 3660;

export interface RangeQuery {
  parameter: Pollutant;
  from: string;
  to: string;
}

const bad = (detail: string) => new ApiError(400, detail);

function day(name: 'from' | 'to', raw: string | undefined): DateTime {
  if (raw === undefined || raw === '') throw bad(`query parameter ${name} is required: a Paris local day as YYYY-MM-DD, e.g. ${name}=2024-04-20`);
  const d = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? DateTime.fromISO(raw, { zone: 'UTC' }) : null;
  if (!d?.isValid) throw bad(`query parameter ${name}=${JSON.stringify(raw).slice(1, -1)} is not a date: send a Paris local day as YYYY-MM-DD, e.g. ${name}=2024-04-20`);
  return d;
}

export function parseRange(q: Record<string, string | undefined>): RangeQuery {
  const p = q.parameter;
  if (!p) throw bad(`query parameter parameter is required: one of ${Object.keys(POLLUTANTS).join(', ')}, e.g. parameter=pm25`);
  if (!(p in POLLUTANTS)) throw bad(`query parameter parameter=${JSON.stringify(p).slice(1, -1)} is not a pollutant the dashboard knows: send one of ${Object.keys(POLLUTANTS).join(', ')}`);
  const from = day('from', q.from);
  const to = day('to', q.to);
  if (to < from) throw bad(`query parameter to=${q.to} is before from=${q.from}: send a range whose end is on or after its start`);
  const days = to.diff(from, 'days').days + 1;
  if (days > MAX_DAYS) throw bad(`the range ${q.from} to ${q.to} spans ${days} days, more than ${MAX_DAYS}: ask for it in smaller ranges`);
  return { parameter: p as Pollutant, from: from.toISODate()!, to: to.toISODate()! };
}

/**
 * The range cut into calendar months, in order: each is queried and sorted on its own, so the first rows go out as
 * soon as the first month is read, and (days being disjoint in time) the whole stream is still in time order.
 */
export function monthBlocks(from: string, to: string): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  const end = DateTime.fromISO(to, { zone: 'UTC' });
  for (let start = DateTime.fromISO(from, { zone: 'UTC' }); start <= end; ) {
    const last = DateTime.min(start.endOf('month').startOf('day'), end);
    out.push({ from: start.toISODate()!, to: last.toISODate()! });
    start = last.plus({ days: 1 });
  }
  return out;
}
