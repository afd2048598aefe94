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
function filled(group: { all(): readonly Entry[] }, step: number) {
  return {
    all(): Entry[] {
      const bins = group.all();
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
    },
  };
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
    this.range = new dc.LineChart(this.renderRoot.querySelector('#range'), ctx.group);
    this.range
      .width(width)
      .height(80)
      .margins({ top: 5, right: 10, bottom: 20, left: 40 })
      .dimension(m.time)
      .group(filled(m.byTime, HOUR))
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

    const dim = this.daily ? m.day : m.time;
    const grp = this.daily ? filled(m.byDay, DAY) : filled(m.byTime, HOUR);
    this.main = new dc.LineChart(this.renderRoot.querySelector('#ts'), ctx.group);
    this.main
      .width(width)
      .height(width < 500 ? 200 : 260)
      .margins({ top: 10, right: 10, bottom: 30, left: 45 })
      .dimension(dim)
      .group(grp)
      .valueAccessor((d: Entry) => meanOf(d.value))
      .defined((d: { y: number | null }) => d.y !== null && !Number.isNaN(d.y))
      .x(scaleUtc())
      .elasticX(true)
      .brushOn(false)
      .renderDataPoints(this.daily ? { radius: 2.5, fillOpacity: 0.9, strokeOpacity: 1 } : false)
      .rangeChart(this.range)
      // a hover dot with its value for each point of a short series only (a year of hours is 8,760 circles)
      .xyTipsOn(this.daily || days(ctx) <= 31)
      .yAxisLabel(`${ctx.pollutant.label} (µg/m³)`)
      .title((d: Entry) => `${this.daily ? dayLabel(d.key) : parisLabel(d.key)}: ${num(meanOf(d.value))} µg/m³`)
      .transitionDuration(0);
    this.main.xAxis().ticks(width < 500 ? 4 : 8);
    // The y axis always shows the guideline, so a low series is not stretched to look high.
    this.main.on('preRender', (c: any) => this.fitY(c)); // eslint-disable-line @typescript-eslint/no-explicit-any
    this.main.on('preRedraw', (c: any) => this.fitY(c)); // eslint-disable-line @typescript-eslint/no-explicit-any
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
      this.describe();
    });
  }

  private fitY(c: any): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    const vals = (c.group().all() as Entry[]).map((d) => meanOf(d.value)).filter((v): v is number => v !== null);
    const top = Math.max(this.ctx!.pollutant.guideline, ...vals);
    c.y(scaleLinear().domain([0, top * 1.1]));
  }

  /** The text alternative: what the line shows, in numbers. */
  private describe(): void {
    const bins = (this.main.group().all() as Entry[]).filter((d) => {
      const f = this.range.filter();
      return !f || (d.key >= +f[0] && d.key <= +f[1]);
    });
    const valued = bins.map((d) => ({ key: d.key, v: meanOf(d.value) })).filter((d) => d.v !== null) as { key: number; v: number }[];
    const gaps = bins.length - valued.length;
    const el = this.renderRoot.querySelector('#ts-text')!;
    if (!valued.length) {
      el.textContent = 'No valid value in the selection.';
    } else {
      const max = valued.reduce((a, b) => (b.v > a.v ? b : a));
      const above = valued.filter((d) => d.v > this.ctx!.pollutant.guideline).length;
      const lab = this.daily ? dayLabel : parisLabel;
      el.textContent = `${valued.length} ${this.daily ? 'days' : 'hours'} with data${gaps ? `, ${gaps} without (gaps)` : ''}; highest ${num(max.v)} µg/m³ on ${lab(max.key)}; ${above} above the guideline of ${this.ctx!.pollutant.guideline} µg/m³.`;
    }
    this.renderRoot.querySelector('#ts')!.setAttribute('aria-label', `Line chart of ${this.ctx!.pollutant.label}: ${el.textContent}`);
  }
}
customElements.define('aq-time-series', AqTimeSeries);
