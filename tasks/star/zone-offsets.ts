// UTC -> local time in an IANA zone, fast enough for a million rows: the engine's zone (engine/schedule/zone.ts)
// already caches offsets per 6-hour bucket with the exact minute of any change; this keeps the last quarter hour's
// answer, as rows come in time order (every zone changes its offset on a quarter-hour boundary).
import { isKnownZone, zoneFor, type Zone } from '../../engine/schedule/zone.js';

const QUARTER_MS = 900_000;

export class ZoneOffsets {
  private readonly zone: Zone;
  private lastBlock = NaN;
  private lastOffsetMs = 0;

  private constructor(readonly name: string) {
    this.zone = zoneFor(name);
  }

  /** The zone, or undefined when `name` is not a valid IANA zone. */
  static tryCreate(name: string): ZoneOffsets | undefined {
    return isKnownZone(name) ? new ZoneOffsets(name) : undefined;
  }

  /** The offset from UTC, in milliseconds, at the UTC instant `utcMs`. */
  offsetMs(utcMs: number): number {
    const block = Math.floor(utcMs / QUARTER_MS);
    if (block !== this.lastBlock) {
      this.lastBlock = block;
      this.lastOffsetMs = this.zone.offset(block * QUARTER_MS) * 60_000;
    }
    return this.lastOffsetMs;
  }
}
