// <aq-dashboard>: one pollutant at a time against its WHO guideline. Loads the stations, streams the hourly values
// into one crossfilter (charts draw while batches arrive), and keeps every view, the status line and the URL in
// step with the filters.
import { LitElement, html, css } from 'lit';
import * as dc from './dc.js';
import { RecordBatchReader } from 'apache-arrow/ipc/reader';
import { LoadError, Model, streamMeasurements, type Station } from './model.js';
import { POLLUTANTS, pollutant, type Pollutant } from './pollutants.js';
import { isoDay, parisLabel, parisMidnight, parisTime } from './paris-time.js';
import { readState, writeState, type ViewState } from './url-state.js';
import { stationName, type ViewContext } from './chart-group.js';
import type { AqTimeSeries } from './aq-time-series.js';
import type { AqStationMap } from './aq-station-map.js';
import type { AqRanking } from './aq-ranking.js';
import type { AqProfile } from './aq-profile.js';
import type { AqCompleteness } from './aq-completeness.js';
import type { AqExceedances, DailyStat } from './aq-exceedances.js';
import type { AqDataTable } from './aq-data-table.js';

const DAY = 86_400_000;
/** At most one redraw this often while data streams in. */
const STREAM_REDRAW_MS = 250;

/** After the browser painted (or 100 ms, in a tab that paints no frames), so what was drawn is seen. */
const painted = () => new Promise<void>((resolve) => {
  requestAnimationFrame(() => setTimeout(resolve, 0));
  setTimeout(resolve, 100);
});
let instances = 0;

const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

export class AqDashboard extends LitElement {
  static override styles = css`
    :host { display: block; max-width: 1400px; margin: 0 auto; padding: 0.75rem; box-sizing: border-box; }
    * { box-sizing: border-box; }
    h1 { font-size: 1.35rem; margin: 0 0 0.5rem; }
    .controls { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; margin-bottom: 0.5rem; }
    .controls label { display: flex; flex-direction: column; font-size: 0.85rem; gap: 2px; }
    .guideline { font-size: 0.9rem; padding: 0.3rem 0.5rem; background: #fff4e5; border: 1px solid #e0b070; border-radius: 4px; }
    fieldset { border: 1px solid #c9d1d9; border-radius: 4px; padding: 0.2rem 0.5rem; margin: 0; font-size: 0.85rem; }
    button { font: inherit; padding: 0.3rem 0.8rem; border: 1px solid #5f6368; background: #fff; border-radius: 4px; cursor: pointer; }
    select, input[type='date'] { font: inherit; padding: 0.2rem; }
    .status { font-size: 0.9rem; margin: 0.25rem 0 0.75rem; }
    .alert { border: 1px solid #b00020; background: #fdecee; color: #5f0010; padding: 0.5rem 0.75rem; border-radius: 4px; margin-bottom: 0.75rem; display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
    .notice:not(:empty) { border: 1px solid #1a5fb4; background: #e8f0fb; padding: 0.5rem 0.75rem; border-radius: 4px; margin-bottom: 0.75rem; display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
    .grid { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.75rem; }
    @media (min-width: 900px) { .grid { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); } .wide { grid-column: 1 / -1; } }
    section { background: #fff; border: 1px solid #dadce0; border-radius: 6px; padding: 0.75rem; min-width: 0; }
  `;

  static override properties = { tiles: { type: String }, status: { state: true }, error: { state: true }, state: { state: true }, fresh: { state: true } };
  declare tiles: string | null;
  declare status: string;
  declare error: string | null;
  declare state: ViewState;
  /** When the warehouse was loaded again since this view's data was read (ISO time), or null. */
  declare fresh: string | null;
  private model = new Model();
  private stations = new Map<number, Station>();
  private daily: DailyStat[] | null = null;
  private readonly group = `aq-${++instances}`;
  private rendered = false;
  private drawnAt = 0;
  private loading: AbortController | null = null;
  private rows = 0;
  private events: EventSource | null = null;
  /** The range was the default one (the last 30 days of data), not one the user chose: new data moves it. */
  private defaultRange = false;

  constructor() {
    super();
    this.tiles = null;
    this.status = 'Loading the stations…';
    this.error = null;
    this.fresh = null;
    this.state = readState(location.search);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.events?.close();
    this.events = null;
  }

  /** Listens for new loads into the warehouse (once the data endpoints answered, so access is known to be granted). */
  private listen(): void {
    if (this.events) return;
    this.events = new EventSource('/api/analytics/events');
    this.events.addEventListener('warehouse', (e) => {
      this.fresh = (JSON.parse((e as MessageEvent<string>).data) as { at: string }).at;
    });
  }

  /** Reads the new data, keeping the filters (and moving a default range to the newest data). */
  private reloadFresh(): void {
    this.fresh = null;
    this.stations.clear();
    if (this.defaultRange) this.state = { ...this.state, from: null, to: null };
    void this.load();
  }

  private $<T extends Element>(sel: string): T {
    return this.renderRoot.querySelector(sel) as T;
  }

  override firstUpdated(): void {
    void this.load();
  }

  private get p() {
    return pollutant(this.state.parameter);
  }

  private saveUrl(): void {
    clearTimeout(this.urlTimer);
    history.replaceState(null, '', `${location.pathname}${writeState(this.state)}`);
  }

  private urlTimer: ReturnType<typeof setTimeout> | undefined;

  /** The URL once the filters rest: Chromium's replaceState costs as much as redrawing a chart, and a brush fires many. */
  private saveUrlSoon(): void {
    clearTimeout(this.urlTimer);
    this.urlTimer = setTimeout(() => this.saveUrl(), 150);
  }

  /** Loads everything for the current state: stations, the hourly stream, the daily statistics. */
  private async load(): Promise<void> {
    this.loading?.abort();
    const ctrl = (this.loading = new AbortController());
    this.error = null;
    this.fresh = null;
    dc.deregisterAllCharts(this.group);
    this.rendered = false;
    this.model = new Model();
    this.daily = null;
    this.rows = 0;
    const query = (from: string, to: string) => `parameter=${this.state.parameter}&from=${from}&to=${to}`;
    const get = (path: string) => fetch(path, { credentials: 'same-origin', signal: ctrl.signal });
    // A range in the URL (a shared view, the bench) needs nothing from the stations: its rows are asked for at once.
    const early = this.state.from !== null && this.state.to !== null ? get(`/api/analytics/measurements?${query(this.state.from, this.state.to)}`) : null;
    early?.catch(() => undefined); // its failure is reported where it is awaited
    try {
      if (this.stations.size === 0) {
        const res = await get('/api/analytics/stations');
        if (!res.ok) throw new LoadError(`Stations failed to load (HTTP ${res.status})${res.status === 401 ? ': sign in to the admin UI first, or publish the dashboard with WINDSOCK_DASHBOARD_PUBLIC=1' : ''}`, res.status);
        for (const s of ((await res.json()) as { stations: Station[] }).stations) this.stations.set(s.id, s);
        performance.mark('aq:stations');
      }
      const last = [...this.stations.values()].map((s) => s.last_time).filter(Boolean).sort().pop();
      const lastDay = last ? isoDay(parisTime(Date.parse(last) - 1).day) : new Date().toISOString().slice(0, 10);
      const first = [...this.stations.values()].map((s) => s.first_time).filter(Boolean).sort()[0];
      const firstDay = first ? isoDay(parisTime(Date.parse(first)).day) : lastDay;
      // By default the last 30 days of data (not of the calendar: the pipeline may have stopped).
      this.defaultRange = this.state.from === null && this.state.to === null;
      const to = this.state.to ?? lastDay;
      const from = this.state.from ?? [addDays(to, -29), firstDay].sort().pop()!;
      this.state = { ...this.state, from, to };
      this.model.range = [parisMidnight(from), parisMidnight(addDays(to, 1))];
      this.saveUrl();
      await this.updateComplete;
      this.build();
      this.status = `Loading ${this.p.label}…`;
      let daily = false;
      await streamMeasurements(early ?? get(`/api/analytics/measurements?${query(from, to)}`), this.model, async () => {
        await this.onBatch();
        // the daily statistics once the first rows are drawn: their query would slow the stream's first batch
        if (!daily) void this.loadDaily(query(from, to), ctrl.signal);
        daily = true;
      });
      if (!daily) void this.loadDaily(query(from, to), ctrl.signal);
      this.rows = this.model.received();
      performance.mark('aq:stream-end');
      this.redraw();
      performance.mark('aq:drawn');
      this.listen();
    } catch (err) {
      if (ctrl.signal.aborted) return;
      const got = this.model.received();
      const why = err instanceof LoadError ? err.message : `The data stream broke off (${(err as Error).message})`;
      this.error = got ? `${why}. Showing the ${got.toLocaleString('en')} rows that arrived: the data is partial.` : why;
      this.rows = got;
      this.redraw();
    }
  }

  private async loadDaily(q: string, signal: AbortSignal): Promise<void> {
    try {
      const res = await fetch(`/api/analytics/daily?${q}`, { credentials: 'same-origin', signal });
      if (!res.ok) return;
      const out: DailyStat[] = [];
      for await (const b of await RecordBatchReader.from(res)) {
        const date = b.getChild('date')!;
        const loc = b.getChild('location_id')!;
        const complete = b.getChild('complete')!;
        const ex = b.getChild('exceeds_who')!;
        for (let i = 0; i < b.numRows; i++) out.push({ day: Number(date.get(i)), station: Number(loc.get(i)), complete: !!complete.get(i), exceeds: ex.get(i) ?? null });
      }
      this.daily = out;
      this.refreshViews();
    } catch {
      // the exceedances panel keeps saying it is loading; the main stream's error is the one reported
    }
  }

  private ctx(): ViewContext {
    return { model: this.model, group: this.group, pollutant: this.p, stations: this.stations, from: this.state.from!, to: this.state.to!, changed: () => this.redraw() };
  }

  /** Creates every chart of the group and wires the filters between them and the state. */
  private build(): void {
    dc.deregisterAllCharts(this.group);
    const ctx = this.ctx();
    const ts = this.$<AqTimeSeries>('aq-time-series');
    const ranking = this.$<AqRanking>('aq-ranking');
    const map = this.$<AqStationMap>('aq-station-map');
    ts.daily = this.state.daily;
    ts.build(ctx);
    ranking.build(ctx);
    for (const p of this.renderRoot.querySelectorAll<AqProfile>('aq-profile')) p.build(ctx);
    map.select = (id) => {
      ranking.chart.filter(null);
      if (id !== null) ranking.chart.filter(id);
      dc.redrawAll(this.group);
    };
    map.selected = () => (ranking.chart.filters()[0] as number | undefined) ?? null;
    map.build(ctx);
    // Filters from the URL, applied before the first render.
    if (this.state.window) ts.range.filter(dc.filters.RangedFilter(new Date(this.state.window[0]), new Date(this.state.window[1])));
    if (this.state.station !== null) ranking.chart.filter(this.state.station);
    this.model.window = this.state.window;
    ts.range.on('filtered.state', () => {
      const f = ts.range.filter();
      this.model.window = f ? [+f[0], +f[1]] : null;
      this.state = { ...this.state, window: this.model.window };
      this.saveUrlSoon();
    });
    ranking.chart.on('filtered.state', () => {
      this.state = { ...this.state, station: map.selected() };
      this.saveUrlSoon();
    });
    // After the filter call that caused it has returned: dc sets a chart's filters() only once crossfilter has applied
    // them, so a view reading the selection from the chart during onChange would read the previous one.
    this.model.ndx.onChange((e) => e === 'filtered' && this.refreshSoon());
    // A brush changes every view but the range chart's own line (a crossfilter group ignores the filter of its own
    // dimension): dc's redraw of the whole group after a brush would redraw a year of hours for nothing.
    ts.range.redrawGroup = () => {
      for (const c of dc.chartRegistry.list(this.group)) if (c !== ts.range) c.redraw();
    };
  }

  /**
   * While batches stream in: the first is drawn at once, then at most one redraw every STREAM_REDRAW_MS (a year is a
   * hundred batches: redrawing after each would spend the load redrawing), each painted before the next batch is
   * read,
   */
  private async onBatch(): Promise<void> {
    // and only once the rows received are four times those drawn: each redraw costs in all the rows, so the load's
    // redraws cost a third more than one redraw of the whole
    if (this.rendered && (performance.now() - this.drawnAt < STREAM_REDRAW_MS || this.model.received() < 4 * this.model.size())) return;
    if (!this.rendered) {
      // the time series on screen first, the other views a frame later
      this.model.flush();
      const ts = this.$<AqTimeSeries>('aq-time-series');
      performance.mark('aq:first-draw');
      ts.range.render();
      ts.main.render();
      await painted();
    }
    this.redraw();
    await painted();
    this.drawnAt = performance.now();
  }

  /** The rows received into crossfilter, then every view: the first time drawn, then redrawn. */
  private redraw(): void {
    this.model.flush();
    if (!this.rendered) {
      dc.renderAll(this.group);
      this.rendered = true;
    } else {
      dc.redrawAll(this.group);
    }
    this.$<AqStationMap>('aq-station-map').build(this.ctx());
    this.refreshViews();
  }

  private refreshQueued = false;

  private refreshSoon(): void {
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    queueMicrotask(() => {
      this.refreshQueued = false;
      this.refreshViews();
    });
  }

  private refreshViews(): void {
    const ctx = this.ctx();
    const map = this.$<AqStationMap>('aq-station-map');
    map.refresh();
    this.$<AqCompleteness>('aq-completeness').refresh(ctx);
    this.$<AqExceedances>('aq-exceedances').refresh(this.daily, this.p, map.selected(), this.model.window);
    const table = this.$<AqDataTable>('aq-data-table');
    table.name = (id) => stationName(ctx, id);
    table.all = () => this.model.latest(Infinity);
    table.rows = this.model.latest(50);
    table.total = this.model.selected();
    const m = this.model;
    const total = m.received();
    const through = Number.isFinite(m.last) ? ` · data through ${parisLabel(m.last + 3_600_000)} (Paris)` : '';
    const state = this.loading && this.rows === 0 && !this.error ? `Loading ${this.p.label}: ${m.batches} batches, ${total.toLocaleString('en')} rows received` : `${this.error ? 'Partial: ' : 'Loaded '}${total.toLocaleString('en')} rows in ${m.batches} ${m.batches === 1 ? 'batch' : 'batches'}`;
    this.status = `${state} · ${m.selected().toLocaleString('en')} of ${m.size().toLocaleString('en')} rows selected${through}`;
  }

  private setParameter(p: Pollutant): void {
    this.state = { ...this.state, parameter: p, station: null, window: null };
    void this.load();
  }

  private setRange(which: 'from' | 'to', v: string): void {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return;
    this.state = { ...this.state, [which]: v, window: null };
    void this.load();
  }

  private setDaily(daily: boolean): void {
    const ts = this.$<AqTimeSeries>('aq-time-series');
    this.state = { ...this.state, daily, station: this.$<AqStationMap>('aq-station-map').selected(), window: this.model.window };
    this.saveUrl();
    ts.daily = daily;
    void ts.updateComplete.then(() => {
      this.build();
      this.rendered = false;
      this.redraw();
    });
  }

  private reset(): void {
    this.state = readState('');
    clearTimeout(this.urlTimer); // a brush's pending URL must not come back after the reset
    history.replaceState(null, '', location.pathname);
    void this.load();
  }

  override render() {
    const p = this.p;
    return html`
      <header>
        <h1>Paris air quality</h1>
        <div class="controls">
          <label>Pollutant
            <select aria-label="Pollutant" @change=${(e: Event) => this.setParameter((e.target as HTMLSelectElement).value as Pollutant)}>
              ${POLLUTANTS.map((x) => html`<option value=${x.id} ?selected=${x.id === p.id}>${x.label}</option>`)}
            </select>
          </label>
          <span class="guideline" id="guideline">WHO 2021 guideline: <strong>${p.guideline} µg/m³</strong> (${p.averaging})</span>
          <label>From <input type="date" .value=${this.state.from ?? ''} @change=${(e: Event) => this.setRange('from', (e.target as HTMLInputElement).value)} /></label>
          <label>To <input type="date" .value=${this.state.to ?? ''} @change=${(e: Event) => this.setRange('to', (e.target as HTMLInputElement).value)} /></label>
          <fieldset>
            <legend>Time series</legend>
            <label style="flex-direction:row"><input type="radio" name="res" .checked=${!this.state.daily} @change=${() => this.setDaily(false)} /> Hourly values</label>
            <label style="flex-direction:row"><input type="radio" name="res" .checked=${this.state.daily} @change=${() => this.setDaily(true)} /> Daily means</label>
          </fieldset>
          <button id="reset" @click=${() => this.reset()}>Reset</button>
        </div>
        <p class="status" role="status" id="status">${this.status}</p>
        <div class="notice" aria-live="polite">${this.fresh ? html`<span>New data was loaded into the warehouse at ${parisLabel(Date.parse(this.fresh))} (Paris).</span><button id="reload" @click=${() => this.reloadFresh()}>Reload the data</button>` : ''}</div>
        ${this.error ? html`<div class="alert" role="alert"><span>${this.error}</span><button id="retry" @click=${() => this.load()}>Retry</button></div>` : ''}
      </header>
      <div class="grid">
        <section><aq-time-series></aq-time-series></section>
        <section><aq-station-map .tiles=${this.tiles}></aq-station-map></section>
        <section><aq-ranking></aq-ranking></section>
        <section><aq-exceedances></aq-exceedances></section>
        <section><aq-profile kind="diurnal"></aq-profile></section>
        <section><aq-profile kind="weekday"></aq-profile></section>
        <section><aq-completeness .hideLow=${this.state.hideLow} .onToggle=${(h: boolean) => { this.state = { ...this.state, hideLow: h }; this.saveUrl(); }}></aq-completeness></section>
        <section class="wide"><aq-data-table></aq-data-table></section>
      </div>`;
  }
}
customElements.define('aq-dashboard', AqDashboard);
