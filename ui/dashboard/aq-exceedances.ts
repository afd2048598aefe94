// <aq-exceedances>: station-days above the WHO guideline under the completeness rule (a day counts with at least 18
// valid hours of 24), from the warehouse's daily statistics, for the selected stations and window. Where the rule
// leaves no day, it says "insufficient data", never 0.
import { LitElement, html } from 'lit';
import type { PollutantInfo } from './pollutants.js';
import { panelStyles } from './styles.js';

export interface DailyStat {
  day: number;
  station: number;
  complete: boolean;
  exceeds: boolean | null;
}

export class AqExceedances extends LitElement {
  static override styles = panelStyles;
  static override properties = { stats: { state: true } };
  declare stats: { complete: number; above: number; days: number; pollutant: PollutantInfo | null; loaded: boolean };

  constructor() {
    super();
    this.stats = { complete: 0, above: 0, days: 0, pollutant: null, loaded: false };
  }

  refresh(daily: DailyStat[] | null, pollutant: PollutantInfo, station: number | null, window: [number, number] | null): void {
    if (!daily) {
      this.stats = { complete: 0, above: 0, days: 0, pollutant, loaded: false };
      return;
    }
    // a day is in the window when its Paris day (starting an hour or two before its UTC date key) overlaps it
    const inWindow = (d: DailyStat) => !window || (d.day - 7_200_000 < window[1] && d.day + 79_200_000 > window[0]);
    const rows = daily.filter((d) => (station === null || d.station === station) && inWindow(d));
    const complete = rows.filter((d) => d.complete);
    this.stats = { complete: complete.length, above: complete.filter((d) => d.exceeds === true).length, days: rows.length, pollutant, loaded: true };
  }

  override render() {
    const s = this.stats;
    const p = s.pollutant;
    const rule = 'a station-day counts when at least 18 of its 24 hours are valid (75 %)';
    return html`<h2>Exceedances of the WHO guideline</h2>
      ${!s.loaded || !p
        ? html`<p class="summary">Loading the daily statistics…</p>`
        : s.complete === 0
          ? html`<p><strong>Insufficient data</strong>: none of the ${s.days} station-days in the selection is complete.</p><p class="summary">Rule: ${rule}.</p>`
          : html`<p><strong>${s.above}</strong> of ${s.complete} complete station-days above ${p.guideline} µg/m³ (${p.averaging}).</p>
              <p class="summary">Rule: ${rule}; ${s.days - s.complete} of ${s.days} station-days were left out.</p>`}`;
  }
}
customElements.define('aq-exceedances', AqExceedances);
