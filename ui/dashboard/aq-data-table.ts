// <aq-data-table>: the rows of the selection (latest first, the first 50 shown) and a CSV download of all of them.
import { LitElement, html, css } from 'lit';
import type { Row } from './model.js';
import { parisLabel } from './paris-time.js';
import { panelStyles } from './styles.js';

export class AqDataTable extends LitElement {
  static override styles = [
    ...panelStyles,
    css`
      /* the rows change on every filter change: a fixed table layout and containment keep their layout to this box */
      .scroll { max-height: 280px; overflow: auto; contain: content; }
      table { border-collapse: collapse; width: 100%; font-size: 0.85rem; table-layout: fixed; }
      td { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      th, td { text-align: left; padding: 2px 6px; border-bottom: 1px solid #e0e0e0; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
    `,
  ];
  static override properties = { rows: { state: true }, total: { state: true } };
  declare rows: Row[];
  declare total: number;
  name: (id: number) => string = String;
  all: () => Row[] = () => [];
  unit = 'µg/m³';

  constructor() {
    super();
    this.rows = [];
    this.total = 0;
  }

  private download(): void {
    const lines = ['time_utc,time_paris,station_id,station,sensor_id,value_ugm3'];
    for (const r of this.all()) lines.push([new Date(r.t).toISOString(), parisLabel(r.t).replace(',', ''), r.station, `"${this.name(r.station).replace(/"/g, '""')}"`, r.sensor, r.v ?? ''].join(','));
    const url = URL.createObjectURL(new Blob([lines.join('\n') + '\n'], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'air-quality-selection.csv';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  override render() {
    return html`<h2>Data</h2>
      <p class="summary">${this.total.toLocaleString('en')} rows selected${this.total > this.rows.length ? `, the latest ${this.rows.length} shown` : ''}.
        <button @click=${() => this.download()} ?disabled=${this.total === 0}>Download CSV</button></p>
      <div class="scroll" tabindex="0" role="region" aria-label="Selected rows">
        <table>
          <thead><tr><th scope="col">Time (Paris)</th><th scope="col">Station</th><th scope="col">Value (${this.unit})</th></tr></thead>
          <tbody>${this.rows.map((r) => html`<tr><td>${parisLabel(r.t)}</td><td>${this.name(r.station)}</td><td class="num">${r.v === null ? 'invalid' : r.v.toFixed(1)}</td></tr>`)}</tbody>
        </table>
      </div>`;
  }
}
customElements.define('aq-data-table', AqDataTable);
