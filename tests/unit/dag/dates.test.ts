// Dates in DAG files: a date alone in UTC is read without luxon (dates.ts); it must mean exactly what luxon reads.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseDate } from '../../../engine/dag/dates.js';

const NOW = new Date('2024-06-01T12:00:00Z');

describe('parseDate', () => {
  it('reads a date alone in UTC as luxon does, refusing the dates luxon refuses', () => {
    const days = ['2024-01-01', '2024-02-29', '2023-02-29', '2024-02-30', '2024-04-31', '2024-12-31', '2024-13-01', '2024-00-10', '2024-01-00', '0001-01-01', '1969-12-31', '9999-12-31'];
    for (const d of days) {
      const luxon = DateTime.fromISO(d, { zone: 'UTC' });
      expect(parseDate(d, 'UTC', NOW)?.toISOString() ?? null, d).toBe(luxon.isValid ? luxon.toJSDate().toISOString() : null);
    }
    expect(parseDate('2023-02-29', 'UTC', NOW)).toBeNull();
    expect(parseDate(' 2024-04-20 ', 'UTC', NOW)?.toISOString()).toBe('2024-04-20T00:00:00.000Z');
  });

  it('reads a date alone in another time zone at its local midnight', () => {
    expect(parseDate('2024-04-20', 'Europe/Paris', NOW)?.toISOString()).toBe('2024-04-19T22:00:00.000Z');
    expect(parseDate('2024-02-30', 'Europe/Paris', NOW)).toBeNull();
  });
});
