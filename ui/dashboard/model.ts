// The dashboard's data: one crossfilter over the hourly rows of one pollutant, fed batch by batch from the Arrow
// stream, with the dimensions every view filters through, so that every view always agrees with every other.
import crossfilter from 'crossfilter2';
// The IPC reader alone (the package's root also bundles its builders and writers).
import { RecordBatchReader } from 'apache-arrow/ipc/reader';
import { parisTime } from './paris-time.js';

export interface Row {
  /** Hour start, UTC ms. */
  t: number;
  sensor: number;
  station: number;
  /** null: the hour is not valid (OpenAQ's -1 and such) */
  v: number | null;
  hour: number;
  weekday: number;
  day: number;
}

export interface Station {
  id: number;
  name: string;
  latitude: number | null;
  longitude: number | null;
  sensors: { id: number; parameter: string; units: string; first_time: string | null; last_time: string | null }[];
  first_time: string | null;
  last_time: string | null;
}

/** Values are kept to the thousandth (the stations report fewer decimals), as integers: sums stay exact. */
const SCALE = 1000;

/**
 * Sum and count of valid values: the mean, never the maximum. The sum is an integer (of thousandths), so adding and
 * removing rows as filters change leaves it exact: a mean never depends on the order the filters were applied in.
 */
export interface Mean {
  sum: number;
  n: number;
  rows: number;
}

/** A crossfilter group of means, keyed by a number (time, day, station, hour, weekday). */
export interface MeanGroup {
  all(): readonly { key: number; value: Mean }[];
}

/** A value column entry for an hour that is not valid. */
const INVALID = -2147483648;

/**
 * The hourly rows as columns (typed arrays, grown as batches arrive): crossfilter holds row numbers, and its
 * dimensions read the columns. At a million rows this takes a third of the memory of one object per row.
 */
class Columns {
  length = 0;
  t = new Float64Array(0);
  day = new Float64Array(0);
  sensor = new Int32Array(0);
  station = new Int32Array(0);
  /** Thousandths of µg/m³, INVALID when the hour is not valid. */
  milli = new Int32Array(0);
  hour = new Uint8Array(0);
  weekday = new Uint8Array(0);

  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.t.length) return;
    const cap = Math.max(need, this.t.length * 2, 4096);
    const grow = <A extends Float64Array | Int32Array | Uint8Array>(a: A): A => {
      const b = new (a.constructor as new (n: number) => A)(cap);
      b.set(a);
      return b;
    };
    this.t = grow(this.t);
    this.day = grow(this.day);
    this.sensor = grow(this.sensor);
    this.station = grow(this.station);
    this.milli = grow(this.milli);
    this.hour = grow(this.hour);
    this.weekday = grow(this.weekday);
  }

  row(i: number): Row {
    const m = this.milli[i]!;
    return { t: this.t[i]!, sensor: this.sensor[i]!, station: this.station[i]!, v: m === INVALID ? null : m / SCALE, hour: this.hour[i]!, weekday: this.weekday[i]!, day: this.day[i]! };
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function meanReducer(group: any, cols: Columns): MeanGroup {
  return group.reduce(
    (p: Mean, i: number) => {
      const m = cols.milli[i]!;
      p.rows++;
      if (m !== INVALID) {
        p.sum += m;
        p.n++;
      }
      return p;
    },
    (p: Mean, i: number) => {
      const m = cols.milli[i]!;
      p.rows--;
      if (m !== INVALID) {
        p.sum -= m;
        p.n--;
      }
      return p;
    },
    () => ({ sum: 0, n: 0, rows: 0 }),
  );
}

/**
 * A view's means for the rows the filters select (the filters stay crossfilter's), computed from something cheaper
 * than a crossfilter group: a brush of a quarter of a year moves up to 180,000 rows of a year in or out, and each
 * group on another dimension than time (and the selected count) paid a reduce for each of them, which made the large
 * brushes three to four times slower than the median one.
 */
class DerivedGroup implements MeanGroup {
  private made = -1;
  private bins: readonly { key: number; value: Mean }[] = [];

  /** `version()` changes with every crossfilter change (a filter, an add): dc reads a group several times a redraw. */
  constructor(private readonly make: () => readonly { key: number; value: Mean }[], private readonly version: () => number) {}

  all(): readonly { key: number; value: Mean }[] {
    const v = this.version();
    if (v !== this.made) {
      this.bins = this.make();
      this.made = v;
    }
    return this.bins;
  }
}

/** The time dimension's filter as [lo, hi) in ms (crossfilter's filterRange keeps lo <= t < hi), or null. */
function rangeOf(dim: crossfilter.Dimension<number, number>): [number, number] | null {
  if (!dim.hasCurrentFilter()) return null;
  const f = dim.currentFilter() as unknown;
  // dc's range chart filters with one RangedFilter at a time (filterRange); nothing else filters time
  if (!Array.isArray(f)) throw new Error('the time dimension is filtered by something other than a range');
  return [+f[0], +f[1]];
}

/** Whether the station dimension's filter keeps a station (dc sets it with filterExact, or filterFunction for several). */
function stationTest(dim: crossfilter.Dimension<number, number>): (id: number) => boolean {
  if (!dim.hasCurrentFilter()) return () => true;
  const f = dim.currentFilter() as unknown;
  if (typeof f === 'function') return f as (id: number) => boolean;
  if (Array.isArray(f)) return (id) => id >= +f[0] && id < +f[1];
  return (id) => id === f;
}

/**
 * One station's rows in time order (row numbers) and the running sums of their valid values: the station's mean over
 * any time window is two binary searches and a difference, whatever the number of rows in the window.
 */
class StationRun {
  len = 0;
  rows = new Int32Array(64);
  /** sum[k], n[k]: thousandths and count of the valid values among the first k rows. */
  sum = new Float64Array(65);
  n = new Int32Array(65);

  /** Whether the rows came in time order (the endpoint sends them so: time, then sensor); else windows are scanned. */
  sorted = true;

  push(row: number, milli: number, times: Float64Array): void {
    const k = this.len;
    if (k && times[this.rows[k - 1]!]! > times[row]!) this.sorted = false;
    if (k === this.rows.length) {
      const grow = <A extends Int32Array | Float64Array>(a: A, size: number): A => {
        const b = new (a.constructor as new (n: number) => A)(size);
        b.set(a);
        return b;
      };
      this.rows = grow(this.rows, 2 * k);
      this.sum = grow(this.sum, 2 * k + 1);
      this.n = grow(this.n, 2 * k + 1);
    }
    this.rows[k] = row;
    const valid = milli !== INVALID;
    this.sum[k + 1] = this.sum[k]! + (valid ? milli : 0);
    this.n[k + 1] = this.n[k]! + (valid ? 1 : 0);
    this.len = k + 1;
  }

  /** The station's rows in [lo, hi), or all of them. */
  window(times: Float64Array, w: [number, number] | null): Mean {
    if (!w) return { sum: this.sum[this.len]!, n: this.n[this.len]!, rows: this.len };
    if (!this.sorted) {
      const m: Mean = { sum: 0, n: 0, rows: 0 };
      for (let k = 0; k < this.len; k++) {
        const t = times[this.rows[k]!]!;
        if (t < w[0] || t >= w[1]) continue;
        m.rows++;
        const d = this.sum[k + 1]! - this.sum[k]!;
        if (this.n[k + 1]! > this.n[k]!) {
          m.sum += d;
          m.n++;
        }
      }
      return m;
    }
    const a = this.before(times, w[0]);
    const b = this.before(times, w[1]);
    return { sum: this.sum[b]! - this.sum[a]!, n: this.n[b]! - this.n[a]!, rows: b - a };
  }

  /** How many of the station's rows start before `t` (rows in time order). */
  private before(times: Float64Array, t: number): number {
    let lo = 0;
    let hi = this.len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[this.rows[mid]!]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The index of the first bin whose key is at least `t` (bins in key order). */
function firstAtOrAfter(bins: readonly { key: number }[], t: number): number {
  let lo = 0;
  let hi = bins.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bins[mid]!.key < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const meanOf = (m: Mean): number | null => (m.n > 0 ? m.sum / SCALE / m.n : null);

export class Model {
  private readonly cols = new Columns();
  readonly ndx = crossfilter<number>();
  readonly time = this.ndx.dimension((i) => this.cols.t[i]!);
  readonly station = this.ndx.dimension((i) => this.cols.station[i]!);
  readonly byTime = meanReducer(this.time.group(), this.cols);
  /** Counts crossfilter's changes (filters, adds): what the derived groups were made for. */
  private changes = 0;
  /** Per station, its rows' running sums (see byStation). */
  private readonly runs = new Map<number, StationRun>();
  /**
   * Per station, the mean over the time window, what a group on the station dimension holds (it ignores the station
   * filter, and the time window is the only other filter), from the stations' running sums: a brush costs two binary
   * searches per station instead of a group update per row it moves.
   */
  readonly byStation: MeanGroup = new DerivedGroup(() => {
    const w = rangeOf(this.time);
    const out: { key: number; value: Mean }[] = [];
    for (const [key, r] of this.runs) out.push({ key, value: r.window(this.cols.t, w) });
    return out.sort((x, y) => x.key - y.key);
  }, () => this.changes);
  /**
   * The diurnal (0..23) and weekday (0 = Monday .. 6) profiles, Paris time: sums of the hourly bins of byTime (which
   * follows every filter but the time window's) inside the time window, the same sums a group on an hour-of-day
   * dimension would hold, for the cost of the window's hourly bins (a year has 8,784) instead of a group update per
   * row a brush moves.
   */
  readonly byHour: MeanGroup = new DerivedGroup(() => this.profile('hour', 24), () => this.changes);
  readonly byWeekday: MeanGroup = new DerivedGroup(() => this.profile('weekday', 7), () => this.changes);
  private days?: { dim: crossfilter.Dimension<number, number>; group: MeanGroup };
  /** Rows received (in the columns) but not yet in crossfilter: added at the next flush(). */
  private flushed = 0;
  /** The loaded range [start, end) in ms (Paris midnights), and the brushed window within it, if any. */
  range: [number, number] = [0, 0];
  window: [number, number] | null = null;
  batches = 0;
  /** Latest hour start seen (ms). */
  last = -Infinity;
  first = Infinity;

  /**
   * The day dimension and its group, made on first use: only the daily series reads them, and every dimension costs
   * on each filter change (its group is updated) and on each add (its index is merged).
   */
  get day() {
    this.days ??= (() => {
      const dim = this.ndx.dimension((i: number) => this.cols.day[i]!);
      return { dim, group: meanReducer(dim.group(), this.cols) };
    })();
    return this.days;
  }

  /** The Paris hour and weekday of each of byTime's bins, for the bins they were read for (see gapsOf: the same). */
  private binTimes: { bins: readonly unknown[]; size: number; hour: Uint8Array; weekday: Uint8Array } | null = null;

  private profile(which: 'hour' | 'weekday', n: number): { key: number; value: Mean }[] {
    const w = rangeOf(this.time);
    const bins = this.byTime.all();
    let c = this.binTimes;
    if (!c || c.bins !== bins || c.size !== bins.length) {
      c = this.binTimes = { bins, size: bins.length, hour: new Uint8Array(bins.length), weekday: new Uint8Array(bins.length) };
      for (let i = 0; i < bins.length; i++) {
        const p = parisTime(bins[i]!.key);
        c.hour[i] = p.hour;
        c.weekday[i] = p.weekday;
      }
    }
    const keys = c[which];
    const out: ({ key: number; value: Mean } | undefined)[] = new Array(n);
    // the bins are in time order (a group's all() is sorted by key): only those in the window are read
    const [a, b] = w ? [firstAtOrAfter(bins, w[0]), firstAtOrAfter(bins, w[1])] : [0, bins.length];
    for (let i = a; i < b; i++) {
      const value = bins[i]!.value;
      const k = keys[i]!;
      const o = (out[k] ??= { key: k, value: { sum: 0, n: 0, rows: 0 } }).value;
      o.sum += value.sum;
      o.n += value.n;
      o.rows += value.rows;
    }
    // a key with no selected row has no entry (a bin of a station filtered out is in byTime, with nothing in it)
    return out.filter((d) => d !== undefined && d.value.rows > 0) as { key: number; value: Mean }[];
  }

  constructor() {
    this.ndx.onChange(() => this.changes++);
  }

  /** Rows in crossfilter (what the views show). */
  size(): number {
    return this.ndx.size();
  }

  /** Rows received from the stream, flushed into crossfilter or not. */
  received(): number {
    return this.cols.length;
  }

  /**
   * Rows through every filter: the rows in the time window of the stations the station filter keeps, from the
   * stations' running sums (a crossfilter groupAll costs a reduce per row a brush moves: half of a large brush's time).
   */
  selected(): number {
    const w = rangeOf(this.time);
    const keep = stationTest(this.station);
    let n = 0;
    for (const [id, r] of this.runs) if (keep(id)) n += r.window(this.cols.t, w).rows;
    return n;
  }

  /** The latest `k` selected rows (every filter applies: a dimension's top() honours its own filter too). */
  latest(k: number): Row[] {
    return this.time.top(k).map((i: number) => this.cols.row(i));
  }

  /** The hours of the selected window (the brush, else the loaded range): what completeness is counted against. */
  windowHours(): number {
    const [a, b] = this.window ?? this.range;
    return Math.max(0, Math.round((b - a) / 3_600_000));
  }

  /**
   * Appends a record batch's rows to the columns (time as the two 32-bit halves of its int64 ms, little-endian; the
   * value's validity bitmap, LSB first, as Arrow lays them out). They reach crossfilter at the next flush(): each
   * crossfilter add merges the new rows into every dimension's sorted index and every group, a cost in the rows
   * already there, so adding batch by batch makes a year's load quadratic.
   */
  addBatch(n: number, time: Int32Array, sensor: Int32Array, station: Int32Array, value: Float32Array, valid: Uint8Array | null): void {
    const c = this.cols;
    c.reserve(n);
    let prev = NaN;
    let p = parisTime(0);
    for (let i = 0, j = c.length; i < n; i++, j++) {
      const t = time[2 * i + 1]! * 4294967296 + (time[2 * i]! >>> 0);
      // rows come in time order, a few dozen per hour: one time-zone lookup per hour
      if (t !== prev) {
        p = parisTime(t);
        prev = t;
        if (t > this.last) this.last = t;
        if (t < this.first) this.first = t;
      }
      c.t[j] = t;
      c.day[j] = p.day;
      c.hour[j] = p.hour;
      c.weekday[j] = p.weekday;
      c.sensor[j] = sensor[i]!;
      c.station[j] = station[i]!;
      // float32 on the wire: rounded back to the thousandths the stations report at most
      c.milli[j] = valid && ((valid[i >> 3]! >> (i & 7)) & 1) === 0 ? INVALID : Math.round(value[i]! * SCALE);
    }
    c.length += n;
    this.batches++;
  }

  /** Adds the rows received since the last flush to crossfilter, in one add. Whether there were any. */
  flush(): boolean {
    const n = this.cols.length - this.flushed;
    if (n === 0) return false;
    const ids = new Array<number>(n);
    const c = this.cols;
    for (let i = 0; i < n; i++) {
      const row = this.flushed + i;
      ids[i] = row;
      const s = c.station[row]!;
      let r = this.runs.get(s);
      if (!r) this.runs.set(s, (r = new StationRun()));
      r.push(row, c.milli[row]!, c.t);
    }
    this.flushed += n;
    this.ndx.add(ids);
    return true;
  }
}

/** Why a load failed, in words for the alert. */
export class LoadError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

/**
 * Streams the response of /api/analytics/measurements into the model's columns, calling (and awaiting) `progress` after each batch.
 * Rows already received stay when the stream breaks; the error then says how far it got.
 */
export async function streamMeasurements(response: Promise<Response>, model: Model, progress: () => void | Promise<void>): Promise<void> {
  const res = await response;
  if (!res.ok) {
    let detail = '';
    try {
      detail = ((await res.json()) as { detail?: string }).detail ?? '';
    } catch {
      // not JSON
    }
    throw new LoadError(`Data failed to load (HTTP ${res.status})${detail ? `: ${detail}` : ''}`, res.status);
  }
  const reader = await RecordBatchReader.from(res);
  for await (const batch of reader) {
    const data = (name: string) => batch.getChild(name)!.data[0]!;
    const value = data('value');
    model.addBatch(batch.numRows, int64Halves(data('time')), values<Int32Array>(data('sensor_id')), values<Int32Array>(data('location_id')), values<Float32Array>(value), bitmap(value));
    await progress();
  }
}

// Straight from a batch's buffers (one Data per column in a record batch read from IPC): Vector.get() per value is
// several times slower, and a year is a million values.
/* eslint-disable @typescript-eslint/no-explicit-any */
const values = <A>(d: any): A => d.values.subarray(d.offset, d.offset + d.length);
function int64Halves(d: any): Int32Array {
  const v = d.values as BigInt64Array;
  return new Int32Array(v.buffer, v.byteOffset + d.offset * 8, d.length * 2);
}
function bitmap(d: any): Uint8Array | null {
  if (!d.nullCount) return null;
  if (d.offset % 8 === 0) return (d.nullBitmap as Uint8Array).subarray(d.offset >> 3);
  // a slice that does not start on a byte: the bits shifted to start at 0
  const out = new Uint8Array(Math.ceil(d.length / 8));
  for (let i = 0; i < d.length; i++) if ((d.nullBitmap[(d.offset + i) >> 3] >> ((d.offset + i) & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
  return out;
}
/* eslint-enable @typescript-eslint/no-explicit-any */
