// Calendar arithmetic on plain numbers, for the hot loop of the transform: parsing OpenAQ's UTC timestamps without
// Date.parse, and splitting a local time into date and hour without building Date or luxon objects. Pure.
import { daysInMonth } from '../../engine/civil-date.js';

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** The date of a day number (inverse of daysFromCivil). */
export function civilFromDays(z: number): CivilDate {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: era * 400 + yoe + (month <= 2 ? 1 : 0), month, day };
}

/** ISO day of week, 1 = Monday ... 7 = Sunday (1970-01-01 was a Thursday). */
export function isoDayOfWeek(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** 20240420 */
export function dateKey(c: CivilDate): number {
  return c.year * 10000 + c.month * 100 + c.day;
}

/** "2024-04-20" -> days since the epoch, or NaN. */
export function daysOfIsoDate(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return NaN;
  const y = +m[1]!;
  const mo = +m[2]!;
  const d = +m[3]!;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return NaN;
  const days = daysFromCivil(y, mo, d);
  const back = civilFromDays(days);
  return back.month === mo && back.day === d ? days : NaN;
}

const DIGIT0 = 48;

function digits(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = b[at + i]! - DIGIT0;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Milliseconds since the epoch of an ISO 8601 timestamp with a zone, read straight from bytes: the shapes OpenAQ
 * emits ("2024-04-20T00:00:00Z", "...+00:00", "...+02:00", "...T00:00:00.000Z") take the fast path; anything else is
 * left to Date.parse. NaN when it is not a timestamp with a zone.
 */
export function parseIsoUtc(b: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len >= 20 && b[start + 4] === 45 && b[start + 7] === 45 && (b[start + 10] === 84 || b[start + 10] === 32) && b[start + 13] === 58 && b[start + 16] === 58) {
    const days = dateDays(b, start);
    const h = digits(b, start + 11, 2);
    const mi = digits(b, start + 14, 2);
    const s = digits(b, start + 17, 2);
    if (days === days && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59) {
      let p = start + 19;
      let ms = 0;
      if (b[p] === 46) {
        // fraction: keep milliseconds, ignore finer digits
        p++;
        let scale = 100;
        while (p < end && b[p]! >= 48 && b[p]! <= 57) {
          ms += (b[p]! - DIGIT0) * scale;
          scale /= 10;
          p++;
        }
        ms = Math.floor(ms);
      }
      let offsetMin = NaN;
      if (p === end - 1 && b[p] === 90) offsetMin = 0;
      else if (p === end - 6 && (b[p] === 43 || b[p] === 45) && b[p + 3] === 58) {
        const oh = digits(b, p + 1, 2);
        const om = digits(b, p + 4, 2);
        if (oh >= 0 && om >= 0) offsetMin = (b[p] === 45 ? -1 : 1) * (oh * 60 + om);
      }
      if (offsetMin === offsetMin) return days * 86_400_000 + h * 3_600_000 + mi * 60_000 + s * 1000 + ms - offsetMin * 60_000;
    }
    if (days !== days || h > 23 || mi > 59 || s > 59) return NaN; // the layout, with an impossible date or time
  }
  return slowParse(Buffer.from(b.buffer, b.byteOffset + start, len).toString('latin1'));
}

// The last date read: rows of a page mostly share it, so "YYYY-MM-DD" is compared, not converted.
const lastDate = new Uint8Array(10);
let lastDays = NaN;

/** Days since the epoch of the "YYYY-MM-DD" at `at`, NaN when it is not a calendar date. */
function dateDays(b: Uint8Array, at: number): number {
  let same = lastDays === lastDays;
  for (let i = 0; same && i < 10; i++) same = b[at + i] === lastDate[i];
  if (same) return lastDays;
  const y = digits(b, at, 4);
  const mo = digits(b, at + 5, 2);
  const d = digits(b, at + 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return NaN;
  for (let i = 0; i < 10; i++) lastDate[i] = b[at + i]!;
  lastDays = daysFromCivil(y, mo, d);
  return lastDays;
}

/** Only timestamps that carry a zone (Z or an offset): a naive one has no meaning here. */
function slowParse(s: string): number {
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s)) return NaN;
  return Date.parse(s.replace(' ', 'T'));
}
