// Wall clock <-> UTC in an IANA time zone, the way Airflow does it (pendulum): instants become naive local times for
// cron arithmetic, and naive local times become instants again with pendulum's "post transition" rule:
// a time skipped by spring-forward moves forward by the gap, a time repeated at the fold is its second occurrence.
//
// A "wall" value is a naive local date-time encoded as milliseconds, as if the wall clock were UTC.
import { IANAZone } from 'luxon';
import { UserError } from '../types.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Offsets are looked up per 6-hour bucket: time zones never change offset twice within one. */
const BUCKET = 6 * 3_600_000;

interface Bucket {
  before: number;
  after: number;
  /** First instant with the `after` offset (a whole minute); +Infinity when the bucket has one offset. */
  switchAt: number;
}

export interface Zone {
  readonly name: string;
  /** UTC offset in minutes at an instant. */
  offset(utcMs: number): number;
  toWall(utcMs: number): number;
  /** pendulum `make_aware(naive, tz)` with fold=1 (Airflow's `airflow.utils.timezone.make_aware`). */
  fromWall(wallMs: number): number;
}

const zones = new Map<string, Zone>();

export function zoneFor(name: string): Zone {
  let z = zones.get(name);
  if (!z) {
    z = name === 'UTC' || name === 'Etc/UTC' ? utcZone(name) : ianaZone(name);
    zones.set(name, z);
  }
  return z;
}

const known = new Map<string, boolean>();

/** Whether `name` is an IANA time zone ("UTC", "Europe/Paris"); cached, as luxon builds an Intl formatter to tell. */
export function isKnownZone(name: string): boolean {
  let ok = known.get(name);
  if (ok === undefined) known.set(name, (ok = name === 'UTC' || IANAZone.isValidZone(name)));
  return ok;
}

function utcZone(name: string): Zone {
  return { name, offset: () => 0, toWall: (u) => u, fromWall: (w) => w };
}

function ianaZone(name: string): Zone {
  if (!IANAZone.isValidZone(name)) throw new UserError(`unknown time zone '${name}': use an IANA name such as Europe/Paris or UTC`);
  const iana = IANAZone.create(name);
  const buckets = new Map<number, Bucket>();

  const bucketAt = (index: number): Bucket => {
    let b = buckets.get(index);
    if (b) return b;
    const start = index * BUCKET;
    const before = iana.offset(start);
    const after = iana.offset(start + BUCKET - 1);
    let switchAt = Infinity;
    if (before !== after) {
      // Binary search, in whole minutes, for the first minute carrying the new offset.
      let lo = 0;
      let hi = BUCKET / MINUTE - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (iana.offset(start + mid * MINUTE) === after) hi = mid;
        else lo = mid + 1;
      }
      switchAt = start + lo * MINUTE;
    }
    b = { before, after, switchAt };
    if (buckets.size > 50_000) buckets.clear();
    buckets.set(index, b);
    return b;
  };

  const offset = (u: number): number => {
    const b = bucketAt(Math.floor(u / BUCKET));
    return u < b.switchAt ? b.before : b.after;
  };

  return {
    name,
    offset,
    toWall: (u) => u + offset(u) * MINUTE,
    fromWall(w) {
      const oBefore = offset(w - DAY);
      const oAfter = offset(w + DAY);
      if (oBefore === oAfter) return w - oBefore * MINUTE;
      const early = w - oBefore * MINUTE;
      const late = w - oAfter * MINUTE;
      const earlyOk = offset(early) === oBefore;
      const lateOk = offset(late) === oAfter;
      if (earlyOk && lateOk) return Math.max(early, late); // repeated at the fold: the second occurrence
      if (earlyOk) return early;
      if (lateOk) return late;
      return early; // skipped by spring-forward: read with the offset before the gap, i.e. moved forward by it
    },
  };
}
