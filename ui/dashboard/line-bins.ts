// The bins a time-series line is drawn from (no DOM: unit-tested from Node): empty bins where data is missing, so
// the line breaks there instead of joining across, the bins of a window, the values alone between gaps, and a dense
// line thinned to what its pixel columns can show.
import { meanOf, type Mean } from './model.js';

export type Entry = { key: number; value: Mean };

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The group's bins with an empty bin at every missing step, so the line breaks there instead of joining across. */
export function withGaps(bins: readonly Entry[], step: number): Entry[] {
  if (bins.length === 0) return [];
  const out: Entry[] = [];
  let expect = bins[0]!.key;
  for (const b of bins) {
    // daylight-saving days are 23 or 25 h long: a step of a day is 'the next key at least 22 h later'
    while (step === HOUR ? b.key > expect : b.key - expect > DAY + 2 * HOUR) {
      out.push({ key: expect, value: { sum: 0, n: 0, rows: 0 } });
      expect += step;
    }
    out.push(b);
    expect = b.key + step;
  }
  return out;
}

/**
 * withGaps of a group, made again only when the group's bins are not the ones it was made from. A brush leaves the
 * time dimension's own groups as they are (a group ignores its dimension's filter) and crossfilter updates their
 * values in place, so the hourly line's year of bins with its gaps is made once per load, not once per redraw.
 */
export function gapsOf(step: number): (bins: readonly Entry[]) => Entry[] {
  let from: readonly Entry[] | null = null;
  let size = -1;
  let out: Entry[] = [];
  return (bins) => {
    // crossfilter's all() is the same array until rows are added (which may also add keys to it)
    if (bins !== from || bins.length !== size) {
      from = bins;
      size = bins.length;
      out = withGaps(bins, step);
    }
    return out;
  };
}

/** The bins in [lo, hi], and the one just outside each end (so that the line runs to the edges of the plot). */
export function within(bins: Entry[], lo: number, hi: number): Entry[] {
  // bins are in key order: binary searches, not a walk through a year of hours on every redraw
  const first = (x: number, after: boolean) => {
    let a = 0;
    let b = bins.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (after ? bins[mid]!.key <= x : bins[mid]!.key < x) a = mid + 1;
      else b = mid;
    }
    return a;
  };
  const a = first(lo, false);
  const b = Math.max(a, first(hi, true));
  return bins.slice(Math.max(0, a - 1), Math.min(bins.length, b + 1));
}

/**
 * The points a line cannot show: a value with no value on either side (the hour before and after are gaps or the
 * ends of the data). d3's line draws a one-point segment as a move with no length, so without a dot such an hour
 * would vanish (https://d3js.org/d3-shape/line#line_defined).
 */
export function isolated(bins: readonly Entry[]): Entry[] {
  const out: Entry[] = [];
  for (let i = 0; i < bins.length; i++) {
    if (bins[i]!.value.n > 0 && !(i > 0 && bins[i - 1]!.value.n > 0) && !(i + 1 < bins.length && bins[i + 1]!.value.n > 0)) out.push(bins[i]!);
  }
  return out;
}

/**
 * The bins of a line over [lo, hi] drawn `columns` pixels wide, with no more points than the pixels can show: in each
 * pixel column, each run of values between two gaps keeps only its lowest and highest bin (in time order), which is
 * what the column's pixels of the line reach from bottom to top; a run of gaps keeps one empty bin, so the line still
 * breaks at every gap (never joined across it, never drawn down to 0). The min/max thinning of dense time series that
 * M4 refines (Jugel et al., "M4: a visualization-oriented time series data aggregation", VLDB 2014). The bins are
 * returned as they are when there are no more than two per column.
 */
export function perColumn(bins: readonly Entry[], lo: number, hi: number, columns: number): readonly Entry[] {
  if (bins.length <= 2 * columns || !(hi > lo)) return bins;
  const scale = columns / (hi - lo);
  const out: Entry[] = [];
  let column = NaN;
  let low: Entry | null = null;
  let high: Entry | null = null;
  let lowV = 0;
  let highV = 0;
  let gap = false;
  const flush = () => {
    if (!low || !high) return;
    if (low === high) out.push(low);
    else if (low.key < high.key) out.push(low, high);
    else out.push(high, low);
    low = high = null;
  };
  for (const b of bins) {
    const v = meanOf(b.value);
    if (v === null) {
      flush();
      if (!gap) out.push(b);
      gap = true;
      continue;
    }
    gap = false;
    const c = Math.floor((b.key - lo) * scale);
    if (c !== column) {
      flush();
      column = c;
    }
    if (!low || v < lowV) {
      low = b;
      lowV = v;
    }
    if (!high || v > highV) {
      high = b;
      highV = v;
    }
  }
  flush();
  return out;
}
