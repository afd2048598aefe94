// The simulator's v3 resources, field for field as the real API emits them (docs.openaq.org API v3 reference, and the recorded samples in tests/fixtures).
import { parameterById, type ParameterInfo } from '../parameter-table.js';
import { pair, HOUR_MS, DATA_FIRST_MS } from './time.js';
import { sensorsOf, type SimSensor, type Station } from './stations.js';
import { SIM_TIMEZONE } from './local-time.js';
import { simulatedHourlyValue } from './values.js';

const FRANCE = { id: 22, code: 'FR', name: 'France' };
const OWNER = { id: 4, name: 'Unknown Governmental Organization' };
const PROVIDER = { id: 70, name: 'EEA' };
const INSTRUMENTS = [{ id: 2, name: 'Government Monitor' }];
const LICENSES = [
  {
    id: 47,
    name: 'CC BY 4.0',
    attribution: { name: 'European Environment Agency', url: 'https://www.eea.europa.eu' },
    dateFrom: '2016-11-22',
    dateTo: null,
  },
];

function paramInfo(id: number): ParameterInfo {
  return parameterById(id) as ParameterInfo;
}

export function parameterRef(id: number, withDisplayName = true) {
  const p = paramInfo(id);
  return { id: p.id, name: p.name, units: p.units, displayName: withDisplayName ? p.displayName : null };
}

export function parameterResource(p: ParameterInfo) {
  return { id: p.id, name: p.name, units: p.units, displayName: p.displayName, description: p.description };
}

export function stationSensors(station: Station): readonly SimSensor[] {
  return sensorsOf(station.id);
}

/** A location; `distance` (metres) only when the request searched by coordinates and radius. */
export function locationResource(station: Station, lastMs: number, distance: number | null = null) {
  return {
    id: station.id,
    name: station.name,
    locality: station.locality,
    timezone: SIM_TIMEZONE,
    country: FRANCE,
    owner: OWNER,
    provider: PROVIDER,
    isMobile: false,
    isMonitor: true,
    instruments: INSTRUMENTS,
    sensors: stationSensors(station).map((s) => ({ id: s.id, name: `${s.parameter} µg/m³`, parameter: parameterRef(s.parameterId) })),
    coordinates: { latitude: station.latitude, longitude: station.longitude },
    licenses: LICENSES,
    bounds: [station.longitude, station.latitude, station.longitude, station.latitude],
    distance,
    datetimeFirst: pair(DATA_FIRST_MS),
    datetimeLast: pair(lastMs),
  };
}

/** A sensor with coverage, latest value and summary over the week before `lastMs`. */
export function sensorResource(sensor: SimSensor, lastMs: number) {
  const week: number[] = [];
  let latest: { ms: number; value: number } | undefined;
  for (let t = lastMs; t > lastMs - 7 * 24 * HOUR_MS; t -= HOUR_MS) {
    const v = simulatedHourlyValue(sensor.id, t);
    if (v === null || v < 0) continue;
    latest ??= { ms: t, value: v };
    week.push(v);
  }
  const expected = Math.round((lastMs - DATA_FIRST_MS) / HOUR_MS) + 1;
  const observed = Math.round(expected * 0.96);
  const avg = week.reduce((a, b) => a + b, 0) / (week.length || 1);
  const sd = Math.sqrt(week.reduce((a, b) => a + (b - avg) ** 2, 0) / (week.length || 1));
  const coordinates = { latitude: sensor.station.latitude, longitude: sensor.station.longitude };
  return {
    id: sensor.id,
    name: `${sensor.parameter} µg/m³`,
    parameter: parameterRef(sensor.parameterId),
    datetimeFirst: pair(DATA_FIRST_MS),
    datetimeLast: pair(lastMs),
    coverage: {
      expectedCount: expected,
      expectedInterval: `${expected}:00:00`,
      observedCount: observed,
      observedInterval: `${observed}:00:00`,
      percentComplete: 96.0,
      percentCoverage: 96.0,
      datetimeFrom: pair(DATA_FIRST_MS),
      datetimeTo: pair(lastMs),
    },
    latest: latest ? { datetime: pair(latest.ms), value: latest.value, coordinates } : null,
    summary: week.length
      ? { min: Math.min(...week), q02: null, q25: null, median: null, q75: null, q98: null, max: Math.max(...week), avg, sd }
      : null,
  };
}

/** One row of /sensors/{id}/hours (`label` 1hour) or /measurements (`raw`: the stations log hourly). */
export function measurementResource(sensor: SimSensor, endMs: number, value: number, kind: 'hours' | 'raw') {
  const from = pair(endMs - HOUR_MS);
  const to = pair(endMs);
  return {
    value,
    flagInfo: { hasFlags: false },
    parameter: parameterRef(sensor.parameterId, false),
    period: { label: kind === 'hours' ? '1hour' : 'raw', interval: '01:00:00', datetimeFrom: from, datetimeTo: to },
    coordinates: null,
    summary: kind === 'hours' ? { min: value, q02: value, q25: value, median: value, q75: value, q98: value, max: value, avg: value, sd: null } : null,
    coverage: {
      expectedCount: 1,
      expectedInterval: '01:00:00',
      observedCount: 1,
      observedInterval: '01:00:00',
      percentComplete: 100.0,
      percentCoverage: 100.0,
      // hourly rollups cover their one raw value, stamped at the period end
      datetimeFrom: kind === 'hours' ? to : from,
      datetimeTo: to,
    },
  };
}

/** Great-circle distance in metres (what PostGIS's geography distance gives, near enough). */
export function distanceMetres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
}
