// The dashboard's model (ui/dashboard/model.ts, browser code bundled by esbuild, imported here from its source: it
// needs nothing of the DOM): the station means, the diurnal and weekday profiles and the selected count it derives
// from running sums and the hourly bins, for any time window and station filter, against the same figures computed
// by brute force over the rows, with Paris hours and weekdays from Intl. Rows span both 2024 daylight-saving changes,
// with missing hours, invalid values and a station with two sensors.
import { describe, expect, it } from 'vitest';
import { Model, meanOf, type Mean } from '../../../ui/dashboard/model.js';

const HOUR = 3_600_000;
const STATIONS = [10, 20, 30];
const paris = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', hour: 'numeric', hourCycle: 'h23', weekday: 'short' });
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

interface TestRow {
  t: number;
  sensor: number;
  station: number;
  /** as sent: float32, or null when invalid */
  value: number | null;
}

/** Hourly rows of [from, to) for the stations (station 30 has two sensors), some hours missing, some invalid. */
function rows(from: number, to: number): TestRow[] {
  const out: TestRow[] = [];
  let k = 0;
  for (let t = from; t < to; t += HOUR) {
    for (const station of STATIONS) for (const sensor of station === 30 ? [301, 302] : [station * 10 + 1]) {
      k = (k * 1103515245 + 12345) % 2147483648;
      if (k % 23 === 0) continue; // a missing hour
      out.push({ t, sensor, station, value: k % 17 === 0 ? null : Math.fround(((k >> 8) % 900) / 10) });
    }
  }
  return out;
}

/** The rows as an Arrow batch's buffers (time as int64 halves, a validity bitmap LSB first), into the model. */
function feed(model: Model, batch: TestRow[]): void {
  const n = batch.length;
  const time = new BigInt64Array(n);
  const value = new Float32Array(n);
  const valid = new Uint8Array(Math.ceil(n / 8));
  batch.forEach((r, i) => {
    time[i] = BigInt(r.t);
    value[i] = r.value ?? -1;
    if (r.value !== null) valid[i >> 3]! |= 1 << (i & 7);
  });
  model.addBatch(n, new Int32Array(time.buffer), Int32Array.from(batch, (r) => r.sensor), Int32Array.from(batch, (r) => r.station), value, valid);
  model.flush();
}

const milli = (v: number) => Math.round(v * 1000);

/** Brute force: the rows through the window and the station filter, summed by `key`. */
function expected(all: TestRow[], window: [number, number] | null, keep: (s: number) => boolean, key: (r: TestRow) => number) {
  const out = new Map<number, Mean>();
  for (const r of all) {
    if (window && (r.t < window[0] || r.t >= window[1])) continue;
    if (!keep(r.station)) continue;
    const m = out.get(key(r)) ?? { sum: 0, n: 0, rows: 0 };
    m.rows++;
    if (r.value !== null) {
      m.sum += milli(r.value);
      m.n++;
    }
    out.set(key(r), m);
  }
  return [...out].sort((a, b) => a[0] - b[0]).map(([k, value]) => ({ key: k, value }));
}

const parisHour = (r: TestRow) => Number(paris.formatToParts(new Date(r.t)).find((p) => p.type === 'hour')!.value);
const parisWeekday = (r: TestRow) => WEEKDAYS.indexOf(paris.formatToParts(new Date(r.t)).find((p) => p.type === 'weekday')!.value);
const plain = (g: readonly { key: number; value: Mean }[]) => g.map((d) => ({ key: d.key, value: { ...d.value } }));

// Around the spring change (2024-03-31) and the autumn one (2024-10-27), each from 22:00 UTC two days before.
const SPRING = rows(Date.UTC(2024, 2, 28, 22), Date.UTC(2024, 3, 2, 22));
const AUTUMN = rows(Date.UTC(2024, 9, 24, 22), Date.UTC(2024, 9, 29, 23));
const ALL = [...SPRING, ...AUTUMN];

function loaded(batches: TestRow[][]): Model {
  const m = new Model();
  for (const b of batches) feed(m, b);
  return m;
}

const WINDOWS: ([number, number] | null)[] = [
  null,
  // the spring change day, Paris midnight to midnight (23 hours)
  [Date.UTC(2024, 2, 30, 23), Date.UTC(2024, 2, 31, 22)],
  // the autumn change day (25 hours)
  [Date.UTC(2024, 9, 26, 22), Date.UTC(2024, 9, 27, 23)],
  // edges off the hour, as a brush sets them
  [Date.UTC(2024, 2, 29, 7, 13, 5), Date.UTC(2024, 9, 26, 3, 59, 59)],
  // nothing loaded in it
  [Date.UTC(2024, 5, 1), Date.UTC(2024, 5, 2)],
];
const STATION_FILTERS: [string, (m: Model) => void, (s: number) => boolean][] = [
  ['no station filter', (m) => m.station.filterAll(), () => true],
  ['one station (filterExact, as a marker sets it)', (m) => m.station.filterExact(30), (s) => s === 30],
  ['two stations (filterFunction, as dc sets several)', (m) => m.station.filterFunction((s) => s === 10 || s === 20), (s) => s === 10 || s === 20],
];

describe('the model', () => {
  const model = loaded([SPRING.slice(0, 200), SPRING.slice(200), AUTUMN]);

  it('holds every row, in crossfilter and in its running sums', () => {
    expect(model.size()).toBe(ALL.length);
    expect(model.selected()).toBe(ALL.length);
    expect(ALL.some((r) => r.value === null)).toBe(true);
  });

  for (const w of WINDOWS) {
    for (const [name, apply, keep] of STATION_FILTERS) {
      it(`agrees with the rows for the window ${w ? w.map((x) => new Date(x).toISOString()).join('..') : '(none)'}, ${name}`, () => {
        if (w) model.time.filterRange(w);
        else model.time.filterAll();
        apply(model);
        // the station view ignores the station filter, as a group on the station dimension does
        expect(plain(model.byStation.all())).toEqual(expected(ALL, w, () => true, (r) => r.station).map((d) => d).concat(
          // a station with no row in the window still has its (empty) entry, as in a crossfilter group
          STATIONS.filter((s) => !expected(ALL, w, () => true, (r) => r.station).some((d) => d.key === s)).map((key) => ({ key, value: { sum: 0, n: 0, rows: 0 } })),
        ).sort((a, b) => a.key - b.key));
        expect(plain(model.byHour.all())).toEqual(expected(ALL, w, keep, parisHour));
        expect(plain(model.byWeekday.all())).toEqual(expected(ALL, w, keep, parisWeekday));
        expect(model.selected()).toBe(ALL.filter((r) => (!w || (r.t >= w[0] && r.t < w[1])) && keep(r.station)).length);
      });
    }
  }

  it('has 23 Paris hours of data on the spring change day and 02:00 twice on the autumn one', () => {
    model.station.filterExact(10);
    model.time.filterRange([Date.UTC(2024, 2, 30, 23), Date.UTC(2024, 2, 31, 22)]);
    const spring = model.byHour.all().map((d) => d.key);
    expect(spring).not.toContain(2);
    model.time.filterRange([Date.UTC(2024, 9, 26, 22), Date.UTC(2024, 9, 27, 23)]);
    const two = model.byHour.all().find((d) => d.key === 2)!;
    expect(two.value.rows).toBe(ALL.filter((r) => r.station === 10 && r.t >= Date.UTC(2024, 9, 27, 0) && r.t < Date.UTC(2024, 9, 27, 2)).length);
    expect(two.value.rows).toBeGreaterThan(1);
    model.station.filterAll();
    model.time.filterAll();
  });

  it('means are of the valid values only, never of the invalid ones', () => {
    const s10 = model.byStation.all().find((d) => d.key === 10)!;
    const valid = ALL.filter((r) => r.station === 10 && r.value !== null).map((r) => milli(r.value!) / 1000);
    expect(meanOf(s10.value)).toBeCloseTo(valid.reduce((a, b) => a + b, 0) / valid.length, 9);
    expect(s10.value.rows).toBeGreaterThan(s10.value.n);
  });

  it('gives the same figures when the rows arrive out of time order', () => {
    const shuffled = loaded([AUTUMN, SPRING]);
    for (const w of WINDOWS) {
      if (w) {
        shuffled.time.filterRange(w);
        model.time.filterRange(w);
      } else {
        shuffled.time.filterAll();
        model.time.filterAll();
      }
      expect(plain(shuffled.byStation.all())).toEqual(plain(model.byStation.all()));
      expect(plain(shuffled.byHour.all())).toEqual(plain(model.byHour.all()));
      expect(shuffled.selected()).toBe(model.selected());
    }
  });
});
