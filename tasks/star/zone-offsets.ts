// UTC -> local time in an IANA zone, fast enough for a million rows: the zone's offset is looked up once per
// quarter hour of UTC time (every zone changes its offset on a quarter-hour boundary) and cached.
import { IANAZone } from 'luxon';

const QUARTER_MS = 900_000;

export class ZoneOffsets {
  private readonly zone: IANAZone;
  private readonly cache = new Map<number, number>();
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
    let off = this.cache.get(block);
    if (off === undefined) {
      off = this.zone.offset(block * QUARTER_MS) * 60_000;
      this.cache.set(block, off);
    }
    this.lastBlock = block;
    this.lastOffsetMs = off;
    return off;
  }
}
