// <aq-ranking>: stations ranked by their mean over the selection (not the maximum), top 10, with the number of
// stations. Clicking a row selects the station in every view (the same filter the map sets).
import { LitElement, html } from 'lit';
import * as dc from './dc.js';
import { meanOf, type Mean } from './model.js';
import { num, setText, stationName, type ViewContext } from './chart-group.js';
import { panelStyles } from './styles.js';

type Entry = { key: number; value: Mean };

export class AqRanking extends LitElement {
  static override styles = panelStyles;
  chart: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  private ctx?: ViewContext;

  override render() {
    return html`<h2 id="h">Stations ranked by mean</h2>
      <div id="rank" class="chart" role="img" aria-label="Station ranking"></div>
      <p id="text" class="summary"></p>`;
  }

  build(ctx: ViewContext): void {
    this.ctx = ctx;
    const width = Math.max(280, this.clientWidth || 400);
    const withData = { all: () => (ctx.model.byStation.all() as Entry[]).filter((d) => d.value.n > 0) };
    this.chart = new dc.RowChart(this.renderRoot.querySelector('#rank'), ctx.group);
    this.chart
      .width(width)
      .height(300)
      .margins({ top: 5, right: 10, bottom: 25, left: 10 })
      .dimension(ctx.model.station)
      .group(withData)
      .valueAccessor((d: Entry) => meanOf(d.value) ?? 0)
      .ordering((d: Entry) => -(meanOf(d.value) ?? 0))
      .cap(10)
      .othersGrouper(false)
      .elasticX(true)
      .colors(() => '#a6cee3')
      .label((d: Entry) => `${stationName(ctx, d.key)}: ${num(meanOf(d.value))}`)
      .title((d: Entry) => `${stationName(ctx, d.key)}: mean ${num(meanOf(d.value))} µg/m³ over ${d.value.n} valid hours`)
      .transitionDuration(0);
    this.chart.xAxis().ticks(width < 400 ? 3 : 6);
    this.chart.on('renderlet', () => this.describe(withData.all()));
  }

  private describe(all: Entry[]): void {
    const ranked = all.map((d) => ({ name: stationName(this.ctx!, d.key), v: meanOf(d.value)! })).sort((a, b) => b.v - a.v);
    const top = ranked.slice(0, 10);
    const selected = (this.chart.filters() as number[]).map((id) => stationName(this.ctx!, id));
    const text = (ranked.length
      ? `Top ${top.length} of ${ranked.length} stations with data, by mean (µg/m³): ${top.map((r) => `${r.name} ${num(r.v)}`).join('; ')}.`
      : 'No station has a valid value in the selection.') + (selected.length ? ` Selected: ${selected.join(', ')}.` : '');
    setText(this.renderRoot.querySelector('#h')!, `Stations ranked by mean (top ${top.length} of ${ranked.length})`);
    setText(this.renderRoot.querySelector('#text')!, text);
    this.renderRoot.querySelector('#rank')!.setAttribute('aria-label', `Bar chart. ${text}`);
  }
}
customElements.define('aq-ranking', AqRanking);
