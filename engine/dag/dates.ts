// Dates in DAG files (dag-factory): YYYY-MM-DD, an ISO datetime with or without offset, or relative "N days"
// (the start of today in the DAG's time zone, minus N days). Naive values are read in the DAG's time zone.
import { DateTime } from 'luxon';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d.*)$/;
const RELATIVE = /^(\d+)\s*(week|day|hour|minute|second)s?$/i;

const cache = new Map<string, Date | null>();

export const DATE_HINT = "use YYYY-MM-DD, an ISO datetime or 'N days'";

/** The instant `raw` names in `timezone`, or null when it is not a date. `now` anchors relative dates. */
export function parseDate(raw: string, timezone: string, now: Date): Date | null {
  const text = raw.trim();
  const rel = RELATIVE.exec(text);
  if (rel) {
    const today = DateTime.fromJSDate(now, { zone: timezone }).startOf('day');
    return today.minus({ [`${rel[2].toLowerCase()}s`]: Number(rel[1]) }).toJSDate();
  }
  const key = `${timezone}|${text}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let iso: string | null = null;
  if (DATE_ONLY.test(text) && timezone === 'UTC') {
    // A date alone in UTC (the default time zone) needs no time-zone rules. Read without luxon, whose first use
    // initialises ICU's date formatting (30-90 ms of a command's start-up) when nothing else in a run needs it.
    // The round trip refuses what luxon refuses (2023-02-29, 2024-13-01), which Date would roll over or reject.
    const d = new Date(`${text}T00:00:00Z`);
    const out = !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text ? d : null;
    cache.set(key, out);
    return out;
  }
  if (DATE_ONLY.test(text)) iso = text;
  else {
    const m = DATE_TIME.exec(text);
    if (m) iso = `${m[1]}T${m[2].replace(/\s+(?=[+-]|Z$)/, '')}`;
  }
  const dt = iso ? DateTime.fromISO(iso, { zone: timezone }) : null;
  const out = dt?.isValid ? dt.toJSDate() : null;
  if (cache.size > 10_000) cache.clear();
  cache.set(key, out);
  return out;
}
