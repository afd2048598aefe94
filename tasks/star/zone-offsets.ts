// UTC -> local time in an IANA zone, fast enough for a million rows. Asking the zone (Intl, through luxon) costs
// tens of microseconds, so answers are cached: per UTC day when the offset is the same at both ends of the day (the
// day has no change), else per quarter hour (every zone changes its offset on a quarter-hour boundary).
import { IANAZone } from 'luxon';

const QUARTER_MS = 900_000;
const DAY_MS = 86_400_000;

export class ZoneOffsets {
  private readonly zone: IANAZone;
  private readonly cache = new Map<number, number>();
  /** UTC day -> its offset, or null when the offset changes during that day. */
  private readonly days = new Map<number, number | null>();
  private lastBlock = NaN;
  private lastOffsetMs = 0;

  private constructor(readonly name: string) {
    this.zone = IANAZone.create(name);
  }

  /** The zone, or undefined when `name` is not a valid IANA zone. */
  static tryCreate(name: string): ZoneOffsets | undefined {
    return IANAZone.isValidZone(name) ? new ZoneOffsets(name) : undefined;
  }

  /** The offset from UTC, in milliseconds, at the UTC instant `utcMs`. */
  offsetMs(utcMs: number): number {
    const block = Math.floor(utcMs / QUARTER_MS);
    if (block === this.lastBlock) return this.lastOffsetMs;
    const day = Math.floor(utcMs / DAY_MS);
    let whole = this.days.get(day);
    if (whole === undefined) {
      const start = this.zone.offset(day * DAY_MS);
      whole = start === this.zone.offset((day + 1) * DAY_MS - QUARTER_MS) ? start * 60_000 : null;
      this.days.set(day, whole);
    }
    let off = whole ?? this.cache.get(block);
    if (off === undefined) {
      off = this.zone.offset(block * QUARTER_MS) * 60_000;
      this.cache.set(block, off);
    }
    this.lastBlock = block;
    this.lastOffsetMs = off;
    return off;
  }
}
