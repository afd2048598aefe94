import { describe, expect, it } from 'vitest';
import { macros } from '../../../engine/template/index.js';
import { strftime, strptime } from '../../../engine/template/strftime.js';
import { renderWith } from './helpers.js';

describe('macros (airflow/macros doctests)', () => {
  it("ds_add('2015-01-01', 5) == '2015-01-06' and back", () => {
    expect(macros.ds_add('2015-01-01', 5)).toBe('2015-01-06');
    expect(macros.ds_add('2015-01-06', -5)).toBe('2015-01-01');
  });

  it("ds_format('2015-01-01', '%Y-%m-%d', '%m-%d-%y') == '01-01-15'", () => {
    expect(macros.ds_format('2015-01-01', '%Y-%m-%d', '%m-%d-%y')).toBe('01-01-15');
  });

  it('are callable from templates, positionally and with keywords', () => {
    expect(renderWith('{{ macros.ds_add(ds, 31) }} {{ macros.ds_add(ds=ds, days=-1) }}')).toBe('2024-02-01 2023-12-31');
    expect(renderWith("{{ macros.ds_format(ds, '%Y-%m-%d', '%d %b %Y (%j)') }} {{ macros.ds_format(ds_nodash, input_format='%Y%m%d', output_format='%Y/%m/%d') }}")).toBe(
      '01 Jan 2024 (001) 2024/01/01',
    );
  });

  it('crosses month, year and leap-day boundaries', () => {
    expect(macros.ds_add('2024-02-28', 1)).toBe('2024-02-29');
    expect(macros.ds_add('2023-02-28', 1)).toBe('2023-03-01');
    expect(macros.ds_add('2023-12-31', 1)).toBe('2024-01-01');
  });

  it('reject a date that does not match the format, like strptime', () => {
    expect(() => macros.ds_add('01/01/2024', 1)).toThrow("time data '01/01/2024' does not match format '%Y-%m-%d'");
    expect(() => macros.ds_format('2023-02-30', '%Y-%m-%d', '%Y')).toThrow(/day is out of range for month/);
  });
});

describe('strftime', () => {
  const f = strptime('2024-04-07 15:04:05.000123', '%Y-%m-%d %H:%M:%S.%f');

  it('formats the common directives like Python (C locale)', () => {
    expect(strftime(f, '%Y %y %m %d %H %M %S %f')).toBe('2024 24 04 07 15 04 05 000123');
    expect(strftime(f, '%a %A %b %B %j %p %I %w %u %%')).toBe('Sun Sunday Apr April 098 PM 03 0 7 %');
    expect(strftime(f, '%U %W %V %G')).toBe('14 14 14 2024');
    // week numbers around new year, as Python prints them
    const weeks = ['2024-01-01', '2023-01-01', '2023-01-02', '2022-12-31'].map((d) => strftime(strptime(d, '%Y-%m-%d'), '%U %W %V %G'));
    expect(weeks).toEqual(['00 01 01 2024', '01 00 52 2022', '01 01 01 2023', '52 52 52 2022']);
    expect(strftime(f, '%c|%x|%X|%e')).toBe('Sun Apr  7 15:04:05 2024|04/07/24|15:04:05| 7');
    expect(strftime(f, '%-d/%-m %-H')).toBe('7/4 15');
  });

  it('prints nothing for %z / %Z of a naive datetime, like Python', () => {
    expect(strftime(f, '[%z][%Z]')).toBe('[][]');
    expect(strftime(strptime('2024-01-01T00:00:00+0530', '%Y-%m-%dT%H:%M:%S%z'), '%z')).toBe('+0530');
  });
});

describe('strptime', () => {
  it('parses month names, two-digit years and 12-hour clocks', () => {
    expect(strptime('7 jan 24 03:15 PM', '%d %b %y %I:%M %p')).toMatchObject({ year: 2024, month: 1, day: 7, hour: 15, minute: 15 });
    expect(strptime('12 AM 69', '%I %p %y')).toMatchObject({ hour: 0, year: 1969 });
    expect(strptime('2024 060', '%Y %j')).toMatchObject({ month: 2, day: 29 });
  });

  it('rejects trailing data', () => {
    expect(() => strptime('2024-01-01 extra', '%Y-%m-%d')).toThrow(/does not match format/);
  });
});
