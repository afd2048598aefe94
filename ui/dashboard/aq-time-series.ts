// <aq-time-series>: hourly values or daily means of the selection (the mean across the selected stations), with
// the WHO guideline as a reference line, gaps where data is missing (never 0), and a brushable range chart below.
import { LitElement, html } from 'lit';
import * as dc from './dc.js';
import { scaleLinear, scaleUtc } from 'd3-scale';
import { meanOf } from './model.js';
import { gapsOf, isolated, perColumn, within, type Entry } from './line-bins.js';
import { num, setText, type ViewContext } from './chart-group.js';
import { parisLabel, dayLabel } from './paris-time.js';
import { panelStyles } from './styles.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Days in the loaded range. */
const days = (ctx: ViewContext) => (Date.parse(ctx.to) - Date.parse(ctx.from)) / DAY + 1;

/**
 * Sets a line chart's x domain to [lo, hi]. dc's stack mixin keeps the points inside the domain with a test it makes
 * again for each point, and each reads the scale's domain, which a time scale returns as new Date objects
 * (dc 4.2.7, src/base/stack-mixin.js, _prepareValues and _domainFilter): the same test made once per domain.
 */
function setDomain(c: any, lo: number, hi: number): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  c.x().domain([new Date(lo), new Date(hi)]);
  const keep = (p: { x: number }) => p.x >= lo && p.x <= hi;
  c._domainFilter = () => keep;
}

/** Device pixels across a chart's plot: the columns a dense line is thinned to (perColumn). */
const columnsOf = (c: any) => Math.max(1, Math.round(c.effectiveWidth() * (window.devicePixelRatio || 1))); // eslint-disable-line @typescript-eslint/no-explicit-any

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
    let rangeDrawn: readonly Entry[] = [];
    this.range = new dc.LineChart(this.renderRoot.querySelector('#range'), ctx.group);
    this.range
      .width(width)
      .height(80)
      .margins({ top: 5, right: 10, bottom: 20, left: 40 })
      .dimension(m.time)
      .group({ all: () => rangeDrawn })
      .valueAccessor((d: Entry) => meanOf(d.value))
      .defined((d: { y: number | null }) => d.y !== null && !Number.isNaN(d.y))
      .x(scaleUtc())
      .elasticX(false)
      .elasticY(true)
      .brushOn(true)
      // no hover dot per hour: thousands of invisible circles redrawn on every brush
      .xyTipsOn(false)
      .transitionDuration(0);
    // The x domain is the data's first to last hour (what elasticX made of every bin), set before the year of bins is
    // thinned to the plot's pixel columns.
    const prepareRange = (c: any) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const all = rangeGaps(m.byTime.all());
      const [lo, hi] = all.length ? [all[0]!.key, all[all.length - 1]!.key] : m.range;
      setDomain(c, lo, hi);
      rangeDrawn = perColumn(all, lo, hi, columnsOf(c));
    };
    this.range.on('preRender', prepareRange);
    this.range.on('preRedraw', prepareRange);
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
    /** The bins of the window, and what of them is drawn (hours thinned to the plot's pixel columns). */
    let shown: Entry[] = [];
    let drawn: readonly Entry[] = [];
    const gaps = gapsOf(step);
    this.main = new dc.LineChart(this.renderRoot.querySelector('#ts'), ctx.group);
    this.main
      .width(width)
      .height(width < 500 ? 200 : 260)
      .margins({ top: 10, right: 10, bottom: 30, left: 45 })
      .dimension(this.daily ? m.day.dim : m.time)
      .group({ all: () => drawn })
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
      // a day is a dot of its own (renderDataPoints): only hours are thinned
      drawn = this.daily ? shown : perColumn(shown, lo, hi, columnsOf(c));
      setDomain(c, lo, hi);
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
      // from the window's bins, not the thinned ones: a lone hour is one a line cannot show, whatever the width
      const alone = isolated(shown);
      this.dots(c, alone);
      this.describe(shown, alone);
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
  private dots(c: any, alone: Entry[]): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    const x = c.x();
    const y = c.y();
    const body = c.chartBodyG();
    const sel = body.selectAll('circle.isolated').data(alone, (d: Entry) => d.key);
    sel.exit().remove();
    sel.enter().append('circle').attr('class', 'isolated').attr('r', 2.5).merge(sel)
      .attr('fill', body.select('path.line').attr('stroke'))
      .attr('cx', (d: Entry) => x(d.key)).attr('cy', (d: Entry) => y(meanOf(d.value)));
  }

  /** The text alternative: what the line shows, in numbers (one pass over the window's bins: a quarter is 2,200). */
  private describe(shown: readonly Entry[], alone: readonly Entry[]): void {
    const f = this.range.filter();
    const [lo, hi] = f ? [+f[0], +f[1]] : [-Infinity, Infinity];
    const guideline = this.ctx!.pollutant.guideline;
    let bins = 0;
    let valued = 0;
    let above = 0;
    let max: { key: number; v: number } | null = null;
    for (const d of shown) {
      if (d.key < lo || d.key > hi) continue;
      bins++;
      const v = meanOf(d.value);
      if (v === null) continue;
      valued++;
      if (v > guideline) above++;
      if (!max || v > max.v) max = { key: d.key, v };
    }
    const gaps = bins - valued;
    // as drawn: a value at the window's edge has its neighbour outside it
    let lone = 0;
    for (const d of alone) if (d.key >= lo && d.key <= hi) lone++;
    let text = 'No valid value in the selection.';
    if (max) {
      const lab = this.daily ? dayLabel : parisLabel;
      text = `${valued} ${this.daily ? 'days' : 'hours'} with data${gaps ? `, ${gaps} without (gaps)` : ''}${lone ? `, ${lone} of them alone between gaps (drawn as dots)` : ''}; highest ${num(max.v)} µg/m³ on ${lab(max.key)}; ${above} above the guideline of ${guideline} µg/m³.`;
    }
    setText(this.renderRoot.querySelector('#ts-text')!, text);
    this.renderRoot.querySelector('#ts')!.setAttribute('aria-label', `Line chart of ${this.ctx!.pollutant.label}: ${text}`);
  }
}
customElements.define('aq-time-series', AqTimeSeries);
