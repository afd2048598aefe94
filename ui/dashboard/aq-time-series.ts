// <aq-time-series>: hourly values or daily means of the selection (the mean across the selected stations), with
// the WHO guideline as a reference line, gaps where data is missing (never 0), and a brushable range chart below.
import { LitElement, html } from 'lit';
import * as dc from './dc.js';
import { scaleLinear, scaleUtc } from 'd3-scale';
import { meanOf, type Mean } from './model.js';
import { num, type ViewContext } from './chart-group.js';
import { parisLabel, dayLabel } from './paris-time.js';
import { panelStyles } from './styles.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

type Entry = { key: number; value: Mean };

/** Days in the loaded range. */
const days = (ctx: ViewContext) => (Date.parse(ctx.to) - Date.parse(ctx.from)) / DAY + 1;

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
function within(bins: Entry[], lo: number, hi: number): Entry[] {
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

export class AqTimeSeries extends LitElement {
  static override styles = panelStyles;
  declare daily: boolean;
  static override properties = { daily: { type: Boolean } };
  main: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  range: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  private ctx?: ViewContext;

  constructor() {
    super();
    this.daily = false;
  }

  override render() {
    return html`<h2 id="h">Concentration over time <span class="summary">(${this.daily ? 'daily means' : 'hourly values'}, mean of the selected stations)</span></h2>
      <div id="ts" class="chart" role="img" aria-label="Line chart"></div>
      <p id="ts-text" class="summary"></p>
      <h2 id="rh" style="font-size:0.9rem">Select a time range</h2>
      <div id="range" class="chart" role="img" aria-label="Range chart: drag to select a time range; the other views follow"></div>`;
  }

  build(ctx: ViewContext): void {
    this.ctx = ctx;
    const width = Math.max(300, this.clientWidth || 600);
    const m = ctx.model;
    const g = ctx.pollutant.guideline;
    const rangeGaps = gapsOf(HOUR);
    this.range = new dc.LineChart(this.renderRoot.querySelector('#range'), ctx.group);
    this.range
      .width(width)
      .height(80)
      .margins({ top: 5, right: 10, bottom: 20, left: 40 })
      .dimension(m.time)
      .group({ all: () => rangeGaps(m.byTime.all()) })
      .valueAccessor((d: Entry) => meanOf(d.value))
      .defined((d: { y: number | null }) => d.y !== null && !Number.isNaN(d.y))
      .x(scaleUtc())
      .elasticX(true)
      .elasticY(true)
      .brushOn(true)
      // no hover dot per hour: thousands of invisible circles redrawn on every brush
      .xyTipsOn(false)
      .transitionDuration(0);
    this.range.yAxis().ticks(0);
    this.range.xAxis().ticks(width < 500 ? 4 : 8);

    const step = this.daily ? DAY : HOUR;
    const source = this.daily ? m.day.group : m.byTime;
    // The main chart shows the range chart's window (the whole data without one) and draws only the bins in it: its
    // x domain is set here, not by dc's focus (which also filters the time dimension again, through the main chart).
    const domain = (): [number, number] => {
      const f = this.range.filter();
      if (f) return [+f[0], +f[1]];
      const all = source.all();
      // days: half a day either side, so the first and last dots and their tick labels are not cut by the plot's edge
      const pad = this.daily ? DAY / 2 : 0;
      return all.length ? [all[0]!.key - pad, all[all.length - 1]!.key + (this.daily ? pad : HOUR)] : ctx.model.range;
    };
    let shown: Entry[] = [];
    const gaps = gapsOf(step);
    this.main = new dc.LineChart(this.renderRoot.querySelector('#ts'), ctx.group);
    this.main
      .width(width)
      .height(width < 500 ? 200 : 260)
      .margins({ top: 10, right: 10, bottom: 30, left: 45 })
      .dimension(this.daily ? m.day.dim : m.time)
      .group({ all: () => shown })
      .valueAccessor((d: Entry) => meanOf(d.value))
      .defined((d: { y: number | null }) => d.y !== null && !Number.isNaN(d.y))
      .x(scaleUtc())
      .elasticX(false)
      .brushOn(false)
      .renderDataPoints(this.daily ? { radius: 2.5, fillOpacity: 0.9, strokeOpacity: 1 } : false)
      // a hover dot with its value for each point of a short series only (a year of hours is 8,760 circles)
      .xyTipsOn(this.daily || days(ctx) <= 31)
      .yAxisLabel(`${ctx.pollutant.label} (µg/m³)`)
      .title((d: Entry) => `${this.daily ? dayLabel(d.key) : parisLabel(d.key)}: ${num(meanOf(d.value))} µg/m³`)
      .transitionDuration(0);
    const prepare = (c: any) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const [lo, hi] = domain();
      shown = within(gaps(source.all()), lo, hi);
      c.x().domain([new Date(lo), new Date(hi)]);
      this.fitY(c);
    };
    this.main.on('preRender', prepare);
    this.main.on('preRedraw', prepare);
    this.main.xAxis().ticks(width < 500 ? 4 : 8);
    this.main.on('renderlet', (c: any) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const y = c.y()(g);
      const sel = c.g().selectAll('line.guideline').data([g]);
      const w = c.effectiveWidth();
      const enter = sel.enter().append('line').attr('class', 'guideline');
      enter.merge(sel).attr('x1', c.margins().left).attr('x2', c.margins().left + w).attr('y1', y + c.margins().top).attr('y2', y + c.margins().top);
      const lab = c.g().selectAll('text.guideline-label').data([g]);
      lab.enter().append('text').attr('class', 'guideline-label').merge(lab)
        .attr('x', c.margins().left + w - 4).attr('y', y + c.margins().top - 4).attr('text-anchor', 'end')
        .text(`WHO guideline ${g} µg/m³`);
      this.dots(c, shown);
      this.describe();
    });
  }

  /** The y axis always shows the guideline, so a low series is not stretched to look high. */
  private fitY(c: any): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    let top = this.ctx!.pollutant.guideline;
    for (const d of c.group().all() as Entry[]) {
      const v = meanOf(d.value);
      if (v !== null && v > top) top = v;
    }
    c.y(scaleLinear().domain([0, top * 1.1]));
  }

  /** A dot for each isolated value, in the line's colour, inside the plot's clip. */
  private dots(c: any, bins: Entry[]): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    const x = c.x();
    const y = c.y();
    const body = c.chartBodyG();
    const sel = body.selectAll('circle.isolated').data(isolated(bins), (d: Entry) => d.key);
    sel.exit().remove();
    sel.enter().append('circle').attr('class', 'isolated').attr('r', 2.5).merge(sel)
      .attr('fill', body.select('path.line').attr('stroke'))
      .attr('cx', (d: Entry) => x(d.key)).attr('cy', (d: Entry) => y(meanOf(d.value)));
  }

  /** The text alternative: what the line shows, in numbers. */
  private describe(): void {
    const f = this.range.filter();
    const inWindow = (d: Entry) => !f || (d.key >= +f[0] && d.key <= +f[1]);
    const shown = this.main.group().all() as Entry[];
    const bins = shown.filter(inWindow);
    const valued = bins.map((d) => ({ key: d.key, v: meanOf(d.value) })).filter((d) => d.v !== null) as { key: number; v: number }[];
    const gaps = bins.length - valued.length;
    // as drawn: a value at the window's edge has its neighbour outside it
    const alone = isolated(shown).filter(inWindow).length;
    const el = this.renderRoot.querySelector('#ts-text')!;
    if (!valued.length) {
      el.textContent = 'No valid value in the selection.';
    } else {
      const max = valued.reduce((a, b) => (b.v > a.v ? b : a));
      const above = valued.filter((d) => d.v > this.ctx!.pollutant.guideline).length;
      const lab = this.daily ? dayLabel : parisLabel;
      el.textContent = `${valued.length} ${this.daily ? 'days' : 'hours'} with data${gaps ? `, ${gaps} without (gaps)` : ''}${alone ? `, ${alone} of them alone between gaps (drawn as dots)` : ''}; highest ${num(max.v)} µg/m³ on ${lab(max.key)}; ${above} above the guideline of ${this.ctx!.pollutant.guideline} µg/m³.`;
    }
    this.renderRoot.querySelector('#ts')!.setAttribute('aria-label', `Line chart of ${this.ctx!.pollutant.label}: ${el.textContent}`);
  }
}
customElements.define('aq-time-series', AqTimeSeries);
