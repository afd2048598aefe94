// The cached zone offsets agree with the time zone database at every quarter hour of a year, DST changes included.
import { describe, expect, it } from 'vitest';
import { IANAZone } from 'luxon';
import { ZoneOffsets } from '../../../tasks/star/zone-offsets.js';

describe('ZoneOffsets', () => {
  it.each(['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'])('agrees with luxon all through 2024 in %s', (name) => {
    const cached = ZoneOffsets.tryCreate(name)!;
    const zone = IANAZone.create(name);
    const wrong: string[] = [];
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += 900_000) {
      if (cached.offsetMs(t) !== zone.offset(t) * 60_000) wrong.push(new Date(t).toISOString());
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a zone that does not exist', () => {
    expect(ZoneOffsets.tryCreate('Europe/Atlantis')).toBeUndefined();
  });
});
