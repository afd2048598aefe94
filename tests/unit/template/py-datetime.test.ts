import { describe, expect, it } from 'vitest';
import { PyDateTime } from '../../../engine/template/index.js';
import { renderWith } from './helpers.js';

describe('dates in templates (pendulum-like)', () => {
  it('render as Python isoformat, with microseconds only when present', () => {
    expect(String(PyDateTime.from(new Date('2024-04-19T22:00:00Z')))).toBe('2024-04-19T22:00:00+00:00');
    expect(String(PyDateTime.from(new Date('2024-04-19T22:00:00.250Z')))).toBe('2024-04-19T22:00:00.250000+00:00');
    expect(PyDateTime.from(new Date('2024-04-19T22:00:00Z')).isoformat(' ')).toBe('2024-04-19 22:00:00+00:00');
  });

  it('offer isoformat, strftime, timestamp and the calendar fields', () => {
    const out = renderWith(
      "{{ data_interval_end.isoformat() }}|{{ data_interval_end.strftime('%Y/%m/%d %H:%M') }}|{{ data_interval_end.timestamp() }}|{{ data_interval_end.int_timestamp }}|{{ data_interval_end.year }}-{{ data_interval_end.month }}-{{ data_interval_end.day }} {{ data_interval_end.hour }}h",
    );
    expect(out).toBe('2024-01-02T00:00:00+00:00|2024/01/02 00:00|1704153600|1704153600|2024-1-2 0h');
  });

  it('convert with in_timezone, keeping the instant', () => {
    expect(renderWith("{{ data_interval_start.in_timezone('Europe/Paris') }} {{ data_interval_start.in_tz(tz='America/New_York').strftime('%H:%M %z') }}")).toBe(
      '2024-01-01T01:00:00+01:00 19:00 -0500',
    );
    expect(() => renderWith("{{ data_interval_start.in_timezone('Mars/Olympus') }}")).toThrow(/unknown time zone 'Mars\/Olympus'/);
  });

  it('add and subtract calendar durations in their own zone (across a DST change)', () => {
    // 2024-03-31 is 23 hours long in Paris: adding one day keeps local midnight. Months apply before days
    // (2024-03-31 - 1 month = 2024-02-29, - 1 day = 2024-02-28), like pendulum and dateutil.
    const paris = { timezone: 'Europe/Paris', logicalDate: new Date('2024-03-30T23:00:00Z') };
    expect(renderWith('{{ logical_date_local.add(days=1) }} {{ logical_date.add(hours=25) | ts }} {{ logical_date_local.subtract(months=1, days=1) | ds }}', paris)).toBe(
      '2024-04-01T00:00:00+02:00 2024-04-01T00:00:00+00:00 2024-02-28',
    );
  });

  it('name their zone with %Z and %z', () => {
    const paris = { timezone: 'Europe/Paris', logicalDate: new Date('2024-04-19T22:00:00Z') };
    expect(renderWith("{{ logical_date_local.strftime('%Z %z') }} {{ logical_date.strftime('%Z %z') }} {{ logical_date_local.timezone_name }}", paris)).toBe(
      'CEST +0200 UTC +0000 Europe/Paris',
    );
  });

  it('compare by instant', () => {
    expect(renderWith('{{ data_interval_start < data_interval_end }} {{ data_interval_end > logical_date }} {{ logical_date_local >= logical_date }}')).toBe('True True True');
  });
});
