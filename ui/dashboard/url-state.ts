// The dashboard's filters in the URL's query string, so that a view can be shared and reloaded. Pure but for
// reading and writing location.
import type { Pollutant } from './pollutants.js';

export interface ViewState {
  parameter: Pollutant;
  from: string | null;
  to: string | null;
  station: number | null;
  /** Brushed window, ms. */
  window: [number, number] | null;
  daily: boolean;
  hideLow: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function readState(search: string): ViewState {
  const q = new URLSearchParams(search);
  const p = q.get('parameter');
  const t0 = Date.parse(q.get('t0') ?? '');
  const t1 = Date.parse(q.get('t1') ?? '');
  const station = Number(q.get('station'));
  return {
    parameter: (['pm25', 'pm10', 'no2', 'o3'].includes(p ?? '') ? p : 'pm25') as Pollutant,
    from: DATE.test(q.get('from') ?? '') ? q.get('from') : null,
    to: DATE.test(q.get('to') ?? '') ? q.get('to') : null,
    station: Number.isInteger(station) && station > 0 ? station : null,
    window: Number.isFinite(t0) && Number.isFinite(t1) && t0 < t1 ? [t0, t1] : null,
    daily: q.get('res') === 'daily',
    hideLow: q.get('hide') === '1',
  };
}

export function writeState(s: ViewState): string {
  const q = new URLSearchParams();
  q.set('parameter', s.parameter);
  if (s.from) q.set('from', s.from);
  if (s.to) q.set('to', s.to);
  if (s.station !== null) q.set('station', String(s.station));
  if (s.window) {
    q.set('t0', new Date(s.window[0]).toISOString());
    q.set('t1', new Date(s.window[1]).toISOString());
  }
  if (s.daily) q.set('res', 'daily');
  if (s.hideLow) q.set('hide', '1');
  return `?${q.toString()}`;
}
