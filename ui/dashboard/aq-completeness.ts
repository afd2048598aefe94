// <aq-completeness>: per station, the valid hours of the hours expected in the selected window, with a toggle to
// hide the stations under 75 % (the share the EU directive asks of a day).
import { LitElement, html, css } from 'lit';
import type { Mean } from './model.js';
import { stationName, type ViewContext } from './chart-group.js';
import { panelStyles } from './styles.js';

interface Line {
  id: number;
  name: string;
  valid: number;
  pct: number;
}

export class AqCompleteness extends LitElement {
  static override styles = [
    ...panelStyles,
    css`
      ol { list-style: none; padding: 0; margin: 0.5rem 0 0; max-height: 300px; overflow-y: auto; }
      li { display: grid; grid-template-columns: minmax(0, 1fr) minmax(3rem, 6rem) 5.5rem; gap: 0.5rem; align-items: center; font-size: 0.85rem; padding: 1px 0; }
      .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .bar { height: 0.7rem; background: #e0e0e0; }
      .bar span { display: block; height: 100%; background: #5b7fa6; }
      .low .bar span { background: #c77c02; }
      .pct { text-align: right; font-variant-numeric: tabular-nums; }
    `,
  ];
  declare hideLow: boolean;
  static override properties = { hideLow: { type: Boolean }, lines: { state: true }, expected: { state: true } };
  declare lines: Line[];
  declare expected: number;
  onToggle?: (hide: boolean) => void;

  constructor() {
    super();
    this.hideLow = false;
    this.lines = [];
    this.expected = 0;
  }

  refresh(ctx: ViewContext): void {
    this.expected = ctx.model.windowHours();
    const ids = new Set([...ctx.stations.values()].filter((s) => s.sensors.some((x) => x.parameter === ctx.pollutant.id)).map((s) => s.id));
    const byStation = ctx.model.byStation.all() as { key: number; value: Mean }[];
    this.lines = byStation
      .filter((d) => ids.has(d.key) || d.value.rows > 0)
      .map((d) => ({ id: d.key, name: stationName(ctx, d.key), valid: d.value.n, pct: this.expected ? Math.min(100, (100 * d.value.n) / this.expected) : 0 }))
      .sort((a, b) => b.pct - a.pct || a.name.localeCompare(b.name));
  }

  override render() {
    const shown = this.hideLow ? this.lines.filter((l) => l.pct >= 75) : this.lines;
    const low = this.lines.filter((l) => l.pct < 75).length;
    return html`<h2>Completeness per station</h2>
      <p class="summary">Valid hours of the ${this.expected} hours in the window. ${low} of ${this.lines.length} stations under 75 %.</p>
      <label><input type="checkbox" .checked=${this.hideLow} @change=${(e: Event) => this.onToggle?.((e.target as HTMLInputElement).checked)} /> Hide stations under 75 %</label>
      <ol aria-label="Completeness per station" tabindex="0">
        ${shown.map((l) => html`<li class=${l.pct < 75 ? 'low' : ''}><span class="name">${l.name}</span><span class="bar" aria-hidden="true"><span style="width:${l.pct.toFixed(1)}%"></span></span><span class="pct">${Math.round(l.pct)} %${l.pct < 75 ? ' (low)' : ''}</span></li>`)}
      </ol>`;
  }
}
customElements.define('aq-completeness', AqCompleteness);
