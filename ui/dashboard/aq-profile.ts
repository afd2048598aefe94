// <aq-profile kind="diurnal|weekday">: the mean of the selection by hour of the day (24 slots, Paris time whatever
// the browser's zone) or by day of the week (Monday first). A slot without data is a gap, not a zero.
import { LitElement, html } from 'lit';
import * as dc from './dc.js';
import { range } from 'd3-array';
import { scaleLinear } from 'd3-scale';
import { meanOf, type Mean } from './model.js';
import { num, setText, type ViewContext } from './chart-group.js';
import { WEEKDAY_NAMES } from './paris-time.js';
import { panelStyles } from './styles.js';

type Entry = { key: number; value: Mean };
const NEVER_FILTERED = {};

export class AqProfile extends LitElement {
  static override styles = panelStyles;
  declare kind: 'diurnal' | 'weekday';
  static override properties = { kind: { type: String } };
  chart: any; // eslint-disable-line @typescript-eslint/no-explicit-any

  constructor() {
    super();
    this.kind = 'diurnal';
  }

  private get heading(): string {
    return this.kind === 'diurnal' ? 'Diurnal profile (hour of day, Paris time)' : 'Weekday profile (Monday first)';
  }

  override render() {
    return html`<h2>${this.heading}</h2>
      <div id="bars" class="chart" role="img" aria-label=${this.heading}></div>
      <p id="text" class="summary"></p>`;
  }

  build(ctx: ViewContext): void {
    const diurnal = this.kind === 'diurnal';
    const width = Math.max(280, this.clientWidth || 400);
    const source = diurnal ? ctx.model.byHour : ctx.model.byWeekday;
    const withData = { all: () => (source.all() as Entry[]).filter((d) => d.value.n > 0) };
    const slots = diurnal ? 24 : 7;
    const label = (k: number) => (diurnal ? String(k).padStart(2, '0') : WEEKDAY_NAMES[k]!);
    this.chart = new dc.BarChart(this.renderRoot.querySelector('#bars'), ctx.group);
    this.chart
      .width(width)
      .height(180)
      .margins({ top: 10, right: 10, bottom: 25, left: 40 })
      // the profiles never filter (no brush, and a linear axis's bars take no click): dc filters only through a
      // dimension that has filter() (base-mixin), so this one, which dc insists on, is never filtered
      .dimension(NEVER_FILTERED)
      .group(withData)
      .valueAccessor((d: Entry) => meanOf(d.value))
      .x(scaleLinear().domain([-0.5, slots - 0.5]))
      .xUnits(() => slots)
      .centerBar(true)
      .gap(2)
      .brushOn(false)
      .elasticY(true)
      .colors(() => '#6a9fca')
      .title((d: Entry) => `${label(d.key)}: ${num(meanOf(d.value))} µg/m³`)
      .transitionDuration(0);
    const ticks = diurnal ? range(0, 24, width < 450 ? 3 : 1) : range(0, 7);
    this.chart.xAxis().tickValues(ticks).tickFormat((k: number) => label(k));
    this.chart.yAxis().ticks(4);
    this.chart.on('renderlet', () => {
      const all = withData.all();
      const text = all.length
        ? `${all.length} of ${slots} ${diurnal ? 'hours' : 'days'} with data. ${all.map((d) => `${label(d.key)} ${num(meanOf(d.value))}`).join(', ')} µg/m³.`
        : 'No valid value in the selection.';
      setText(this.renderRoot.querySelector('#text')!, text);
      this.renderRoot.querySelector('#bars')!.setAttribute('aria-label', `${this.heading}, bar chart. ${text}`);
    });
  }
}
customElements.define('aq-profile', AqProfile);
