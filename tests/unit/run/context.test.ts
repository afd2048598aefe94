// An attempt's local date (ds_local): in UTC it is worked out without luxon (context.ts) and must equal luxon's.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { localDate } from '../../../engine/run/context.js';

describe('localDate', () => {
  it("equals luxon's calendar date in UTC, and in another time zone", () => {
    const instants = ['2024-04-19T22:00:00Z', '2024-04-19T23:59:59.999Z', '2024-04-20T00:00:00Z', '2024-02-29T12:00:00Z', '1970-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z'];
    for (const s of instants) {
      const d = new Date(s);
      for (const zone of ['UTC', 'Europe/Paris']) expect(localDate(d, zone), `${s} ${zone}`).toBe(DateTime.fromJSDate(d, { zone }).toISODate());
    }
    expect(localDate(new Date('2024-04-19T22:00:00Z'), 'Europe/Paris')).toBe('2024-04-20');
  });
});
