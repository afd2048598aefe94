// The byte-level /hours page reader against JSON.parse on the same pages: same fields, any layout.
import { describe, expect, it } from 'vitest';
import { civilFromDays, daysFromCivil, daysOfIsoDate, isoDayOfWeek, parseIsoUtc } from '../../../tasks/star/civil-time.js';
import { scanHoursPage } from '../../../tasks/star/hours-page-scanner.js';
import { hourRow, hourly } from '../../support/raw-partition.js';

type Row = [number, boolean, number, number, number, number];

function scan(text: string): Row[] {
  const rows: Row[] = [];
  scanHoursPage(Buffer.from(text), 'page.json', (_i, v, isNull, pid, from, to, cov) => rows.push([v, isNull, pid, from, to, cov]));
  return rows;
}

/** What the scanner should find, read with JSON.parse. */
function expected(text: string): Row[] {
  return (JSON.parse(text).results as any[]).map((r) => [
    r.value ?? NaN,
    r.value === null,
    r.parameter.id,
    Date.parse(r.period.datetimeFrom.utc),
    Date.parse(r.period.datetimeTo.utc),
    r.coverage?.percentCoverage ?? NaN,
  ]);
}

const rows = hourly('2024-04-20T01:00:00Z', 6, (i) => [12.3, -1, null, 0.000123, 1234.5, 98765432109876.5][i]!).map((h) => hourRow(h, 5, 'Europe/Paris'));
const page = (results: unknown[], indent?: number) => JSON.stringify({ meta: { name: 'openaq-api', website: '/', page: 1, limit: 1000, found: results.length }, results }, null, indent);

describe('scanHoursPage', () => {
  it('reads the same values as JSON.parse, compact or pretty-printed', () => {
    for (const text of [page(rows), page(rows, 2)]) expect(scan(text)).toEqual(expected(text));
  });

  it('reads exponents, escapes in skipped strings, other key orders and null coverage', () => {
    const odd = [
      { coverage: null, period: { datetimeTo: { local: 'x\\"}{', utc: '2024-04-20T02:00:00+00:00' }, label: '1hour', datetimeFrom: { utc: '2024-04-20T01:00:00.000Z' } }, parameter: { name: 'n"o2', id: 5 }, value: 1.5e2, extra: [{ a: ['}'] }] },
      { value: -0.5, parameter: { id: 2 }, period: { datetimeFrom: { utc: '2024-04-20T03:00:00+02:00' }, datetimeTo: { utc: '2024-04-20T04:00:00+02:00' } }, coverage: { percentCoverage: 87.5 } },
    ];
    const text = page(odd);
    expect(scan(text)).toEqual(expected(text));
    expect(scan(text)[0]![0]).toBe(150);
  });

  it('reads an empty page', () => {
    expect(scan(page([]))).toEqual([]);
  });

  it('names the missing or mistyped field', () => {
    expect(() => scan('{"meta":{}}')).toThrow('schema drift in page.json: results is missing');
    expect(() => scan('{"results":{}}')).toThrow('results is an object (expected an array)');
    const noParam = JSON.parse(page(rows));
    delete noParam.results[1].parameter;
    expect(() => scan(JSON.stringify(noParam))).toThrow('results[1].parameter is missing');
    const badId = JSON.parse(page(rows));
    badId.results[2].parameter.id = 'five';
    expect(() => scan(JSON.stringify(badId))).toThrow('results[2].parameter.id is a string (expected an integer)');
    const badUtc = JSON.parse(page(rows));
    badUtc.results[0].period.datetimeFrom.utc = 17;
    expect(() => scan(JSON.stringify(badUtc))).toThrow('results[0].period.datetimeFrom.utc is a number (expected a string)');
  });

  it('reports broken JSON with the byte offset', () => {
    expect(() => scan(page(rows).slice(0, 500))).toThrow(/page\.json is not valid JSON at byte \d+/);
  });
});

describe('civil time', () => {
  const at = (s: string) => parseIsoUtc(Buffer.from(s), 0, s.length);

  it('parses the UTC timestamps OpenAQ writes, and nothing without a zone', () => {
    for (const s of ['2024-04-20T00:00:00Z', '2024-04-20T00:00:00+00:00', '2024-04-20T02:00:00+02:00', '2024-04-19T20:30:00-03:30', '2024-04-20T00:00:00.250Z', '2024-02-29T23:59:59Z'])
      expect(at(s)).toBe(Date.parse(s));
    for (const s of ['2024-04-20T00:00:00', '2024-02-30T00:00:00Z', '2023-02-29T00:00:00Z', '2024-04-20T24:00:00Z', 'yesterday', '']) expect(at(s)).toBeNaN();
  });

  it('splits days into dates and ISO days of the week', () => {
    const monday = daysOfIsoDate('2024-04-15');
    expect(Array.from({ length: 7 }, (_, i) => isoDayOfWeek(monday + i))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(isoDayOfWeek(daysOfIsoDate('1969-12-31'))).toBe(3);
    for (const d of [-800_000, -1, 0, 19_833, 2_932_896]) {
      const c = civilFromDays(d);
      expect(daysFromCivil(c.year, c.month, c.day)).toBe(d);
      const date = new Date(d * 86_400_000);
      expect([date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()]).toEqual([c.year, c.month, c.day]);
    }
    expect(daysOfIsoDate('2024-02-30')).toBeNaN();
  });
});
