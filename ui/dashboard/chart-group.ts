// What every view of one dashboard shares: the model, the dc chart group (dc keeps a registry per group, so two
// dashboards never redraw each other) and the selected pollutant.
import type { Model, Station } from './model.js';
import type { PollutantInfo } from './pollutants.js';

export interface ViewContext {
  model: Model;
  group: string;
  pollutant: PollutantInfo;
  stations: Map<number, Station>;
  /** Loaded range: Paris local days, ISO. */
  from: string;
  to: string;
  /** Filters changed from a non-dc view (the map): redraw everything. */
  changed: () => void;
}

export const stationName = (ctx: ViewContext, id: number) => ctx.stations.get(id)?.name ?? `station ${id}`;

/** "12.3" */
export const num = (v: number | null, digits = 1) => (v === null ? '–' : v.toFixed(digits));

/**
 * Sets an element's text only when it differs: setting textContent replaces the element's text node even with the
 * same text, and the new node is laid out again with the rest of the page (most summaries stay the same on a brush).
 */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
