// <aq-station-map>: the stations measuring the pollutant as circle markers coloured by their mean over the selected
// window relative to the WHO guideline (grey: no valid value in the window), a legend, a tooltip with name, value,
// unit and completeness. Click (or Enter on a focused marker) selects the station in every view. No tiles unless
// WINDSOCK_MAP_TILES names some: the map is useful offline.
import { LitElement, html, unsafeCSS, css } from 'lit';
import * as L from 'leaflet';
import leafletCss from 'leaflet/dist/leaflet.css';
import { meanOf, type Mean } from './model.js';
import { num, setText, stationName, type ViewContext } from './chart-group.js';
import { LEVELS, levelOf, NO_DATA } from './pollutants.js';
import { panelStyles } from './styles.js';

export class AqStationMap extends LitElement {
  static override styles = [
    ...panelStyles,
    unsafeCSS(leafletCss),
    css`
      #map { height: 340px; background: #e8eef3; border: 1px solid #c9d1d9; }
      ul.legend { list-style: none; padding: 0; margin: 0.5rem 0 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; font-size: 0.85rem; }
      .swatch { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 50%; border: 1px solid #333; vertical-align: -0.1rem; margin-right: 0.3rem; }
      path.leaflet-interactive:focus { outline: none; stroke: #000; stroke-width: 4; }
    `,
  ];
  declare tiles: string | null;
  static override properties = { tiles: { type: String } };
  private map?: L.Map;
  private markers = new Map<number, L.CircleMarker>();
  /** What each marker shows (style, text), so that a refresh touches only the markers that change. */
  private looks = new Map<number, string>();
  private texts = new Map<number, string>();
  /** The pollutant and stations the markers were made for. */
  private drawn = '';
  private ctx?: ViewContext;
  /** The station filter lives in the ranking chart (one dc filter on the station dimension); the map sets it there. */
  select?: (id: number | null) => void;
  selected: () => number | null = () => null;

  constructor() {
    super();
    this.tiles = null;
  }

  override render() {
    return html`<h2>Stations</h2>
      <div id="map" role="group" aria-label="Map of the stations; each marker is a button that selects its station"></div>
      <ul class="legend" aria-label="Legend">
        ${LEVELS.map((l, i) => html`<li><span class="swatch" style="background:${l.level.color}"></span>${l.level.name}${i === 0 ? '' : ''}</li>`)}
        <li><span class="swatch" style="background:${NO_DATA.color}"></span>${NO_DATA.name} in the window</li>
      </ul>
      <p id="text" class="summary"></p>`;
  }

  override firstUpdated(): void {
    const el = this.renderRoot.querySelector('#map') as HTMLElement;
    this.map = L.map(el, { zoomControl: true, attributionControl: !!this.tiles, keyboard: true }).setView([48.86, 2.35], 10);
    if (this.tiles) L.tileLayer(this.tiles, { maxZoom: 18 }).addTo(this.map);
    new ResizeObserver(() => this.map?.invalidateSize()).observe(el);
    // Enter or Space on a focused marker selects it, as a click does (one listener, whatever markers are drawn).
    el.addEventListener('keydown', (e) => {
      const id = Number((e.target as SVGElement).dataset?.station);
      if ((e.key === 'Enter' || e.key === ' ') && id) {
        e.preventDefault();
        e.stopPropagation();
        this.toggle(id);
      }
    }, true);
  }

  build(ctx: ViewContext): void {
    this.ctx = ctx;
    const withSensor = [...ctx.stations.values()].filter((s) => s.latitude !== null && s.longitude !== null && s.sensors.some((x) => x.parameter === ctx.pollutant.id));
    const ids = new Set((ctx.model.byStation.all() as { key: number; value: Mean }[]).filter((d) => d.value.n > 0).map((d) => d.key));
    // The same stations as drawn (most redraws while data streams in): restyle them, keep their place and focus.
    const drawn = `${ctx.pollutant.id}:${withSensor.filter((x) => ids.has(x.id)).map((x) => x.id).join(',')}`;
    if (drawn === this.drawn) return this.refresh();
    this.drawn = drawn;
    for (const m of this.markers.values()) m.remove();
    this.markers.clear();
    this.looks.clear();
    this.texts.clear();
    // A marker for every station with valid data for the pollutant in the loaded range.
    for (const s of withSensor.filter((x) => ids.has(x.id))) {
      const m = L.circleMarker([s.latitude!, s.longitude!], { radius: 9, weight: 1, color: '#202124', fillOpacity: 0.9 }).addTo(this.map!);
      m.on('click', () => this.toggle(s.id));
      m.bindTooltip('', { direction: 'top' });
      const path = m.getElement() as SVGElement | undefined;
      if (path) {
        path.setAttribute('tabindex', '0');
        path.setAttribute('role', 'button');
        path.dataset.station = String(s.id);
      }
      this.markers.set(s.id, m);
    }
    if (this.markers.size) this.map!.fitBounds(L.latLngBounds([...this.markers.values()].map((m) => m.getLatLng())), { padding: [20, 20], maxZoom: 12 });
    this.refresh();
  }

  private toggle(id: number): void {
    this.select?.(this.selected() === id ? null : id);
  }

  /** Colours, labels and the selection from the current filters (called on every crossfilter change). */
  refresh(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const g = ctx.pollutant.guideline;
    const byStation = new Map((ctx.model.byStation.all() as { key: number; value: Mean }[]).map((d) => [d.key, d.value]));
    const expected = ctx.model.windowHours();
    const sel = this.selected();
    let grey = 0;
    for (const [id, m] of this.markers) {
      const v = byStation.get(id);
      const mean = v ? meanOf(v) : null;
      const level = levelOf(mean, g);
      if (level === NO_DATA) grey++;
      const completeness = v && expected ? Math.round((100 * v.n) / expected) : 0;
      const selected = sel === id;
      const text = `${stationName(ctx, id)}: ${mean === null ? 'no valid value' : `${num(mean)} µg/m³`} (${level.name}), completeness ${completeness} %${selected ? ', selected' : ''}`;
      // Leaflet's setStyle rewrites every attribute of the marker's path (its geometry too, for the radius): only
      // when the level or the selection changed, which most brushes leave as they were
      const look = `${level.color}|${selected}`;
      if (this.looks.get(id) !== look) {
        this.looks.set(id, look);
        m.setStyle({ fillColor: level.color, weight: selected ? 4 : 1, color: selected ? '#000' : '#202124', radius: selected ? 12 : 9 } as L.CircleMarkerOptions);
      }
      if (this.texts.get(id) === text) continue;
      this.texts.set(id, text);
      m.setTooltipContent(text);
      const path = m.getElement() as SVGElement | undefined;
      path?.setAttribute('aria-label', text);
      path?.setAttribute('aria-pressed', String(selected));
    }
    setText(this.renderRoot.querySelector('#text')!,
      `${this.markers.size} stations measure ${ctx.pollutant.label}; ${grey} without a valid value in the window.${sel !== null ? ` Selected: ${stationName(ctx, sel)}.` : ''}`);
  }
}
customElements.define('aq-station-map', AqStationMap);
