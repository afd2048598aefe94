// The hourly line thinned to its pixel columns (ui/dashboard/line-bins.ts, DOM-free browser code imported from its
// source): on a year of hours with single missing hours, runs of them, hours with only invalid values and hours alone
// between gaps, the thinned line must look like the whole one: the same breaks at the same places (never joined
// across a gap, never a point at 0 that was not there), and in each pixel column the same lowest and highest value.
import { describe, expect, it } from 'vitest';
import { perColumn, withGaps, type Entry } from '../../../ui/dashboard/line-bins.js';
import { meanOf } from '../../../ui/dashboard/model.js';

const HOUR = 3_600_000;
const FROM = Date.UTC(2023, 11, 31, 23);

/** A year of hourly bins as the time group gives them (missing hours absent), some hours all invalid (n = 0). */
function year(): Entry[] {
  const out: Entry[] = [];
  let k = 7;
  for (let h = 0; h < 8784; h++) {
    k = (k * 1103515245 + 12345) % 2147483648;
    if (k % 29 === 0 || (h >= 4000 && h < 4030) || h % 1000 === 500) continue; // missing: single hours, a run, lone hours around 501
    const n = k % 31 === 0 ? 0 : 1 + (k % 3);
    out.push({ key: FROM + h * HOUR, value: { sum: n * (5000 + ((k >> 8) % 60000)), n, rows: n || 2 } });
  }
  return out;
}

/** The line's pieces as d3 draws them (a break at every bin without a value): each piece's keys. */
function pieces(bins: readonly Entry[]): number[][] {
  const out: number[][] = [];
  let cur: number[] | null = null;
  for (const b of bins) {
    if (meanOf(b.value) === null) cur = null;
    else (cur ?? (out.push((cur = [])), cur)).push(b.key);
  }
  return out;
}

describe('perColumn', () => {
  const all = withGaps(year(), HOUR);
  const lo = all[0]!.key;
  const hi = all[all.length - 1]!.key + HOUR;
  const columns = 600;
  const thin = perColumn(all, lo, hi, columns);

  it('keeps a few points per pixel column, all of them bins of the line in time order', () => {
    expect(all.length).toBe(8784);
    expect(thin.length).toBeLessThan(all.length / 3);
    const known = new Set(all);
    expect(thin.every((b) => known.has(b))).toBe(true);
    for (let i = 1; i < thin.length; i++) expect(thin[i]!.key).toBeGreaterThan(thin[i - 1]!.key);
  });

  it('breaks the line at every gap, and only there', () => {
    const whole = pieces(all);
    const drawn = pieces(thin);
    expect(whole.length).toBeGreaterThan(300);
    expect(drawn.length).toBe(whole.length);
    // each piece drawn lies within the piece it stands for: nothing joined across a gap
    drawn.forEach((p, i) => {
      expect(p[0]).toBeGreaterThanOrEqual(whole[i]![0]!);
      expect(p[p.length - 1]).toBeLessThanOrEqual(whole[i]![whole[i]!.length - 1]!);
    });
  });

  it('reaches the same lowest and highest value in each pixel column of each piece', () => {
    const value = new Map(all.map((b) => [b.key, meanOf(b.value)!]));
    const extent = (bins: readonly Entry[]) => {
      const out = new Map<string, [number, number]>();
      pieces(bins).forEach((p, i) => {
        for (const key of p) {
          const v = value.get(key)!;
          const id = `${i}:${Math.floor(((key - lo) * columns) / (hi - lo))}`;
          const e = out.get(id);
          out.set(id, e ? [Math.min(e[0], v), Math.max(e[1], v)] : [v, v]);
        }
      });
      return out;
    };
    expect(extent(thin)).toEqual(extent(all));
    // no value is made up: in particular none at 0 where the line has no 0
    expect(thin.map((b) => meanOf(b.value)).filter((v) => v === 0)).toEqual([]);
  });

  it('leaves a line with no more than two bins per column as it is', () => {
    const week = all.slice(0, 168);
    expect(perColumn(week, week[0]!.key, week[167]!.key + HOUR, 600)).toBe(week);
  });
});
