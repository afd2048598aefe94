// The v3 endpoints the simulator speaks, as pure functions of (path ids, query, clock) returning response bodies.
import { PARAMETERS, parameterById } from '../parameter-table.js';
import { QueryError, bboxParam, idList, intParam, paging, radiusParams, type Query } from './query.js';
import { distanceMetres, locationResource, measurementResource, parameterResource, sensorResource } from './resources.js';
import { SENSORS, STATIONS, sensorsOf, stationById, type SimSensor } from './stations.js';
import { DATA_FIRST_MS, HOUR_MS, floorHour, parseApiDateTime } from './time.js';
import { hasHourlyValue, simulatedHourlyValue } from './values.js';

export class NotFound extends Error {}

export interface Clock {
  /** Latest hour with data, fixed when the simulator starts (so bodies are the same on every request). */
  lastMs: number;
  now: number;
}

/**
 * The envelope. `found` is exact only where the real SQL counts (`total` given); elsewhere it is ">{limit}" on a
 * full page, else the number of rows on the page.
 */
export function page<T>(results: T[], limit: number, pageNo: number, total?: number) {
  const found = total !== undefined ? total : results.length >= limit ? `>${limit}` : results.length;
  return { meta: { name: 'openaq-api', website: '/', page: pageNo, limit, found }, results };
}

function slice<T>(all: T[], limit: number, pageNo: number): T[] {
  return all.slice((pageNo - 1) * limit, pageNo * limit);
}

export function pathId(raw: string, name: string): number {
  if (!/^\d+$/.test(raw)) throw new QueryError([{ type: 'int_parsing', loc: ['path', name], msg: 'Input should be a valid integer, unable to parse string as an integer', input: raw }]);
  return Number(raw);
}

export function listLocations(q: Query, clock: Clock) {
  const { limit, page: pageNo } = paging(q);
  const bbox = bboxParam(q);
  const near = radiusParams(q);
  const parameters = idList(q, 'parameters_id');
  const countries = idList(q, 'countries_id');
  const providers = idList(q, 'providers_id');
  if (q.iso !== undefined && countries) {
    throw new QueryError([{ type: 'value_error', loc: ['query', 'iso'], msg: 'Value error, Cannot pass both countries_id and iso query in the same URL', input: q.iso }]);
  }
  let rows = STATIONS.map((s) => ({ s, distance: near ? distanceMetres(near.lat, near.lon, s.latitude, s.longitude) : null }));
  if (bbox) rows = rows.filter(({ s }) => s.longitude >= bbox[0] && s.latitude >= bbox[1] && s.longitude <= bbox[2] && s.latitude <= bbox[3]);
  if (near) rows = rows.filter(({ distance }) => (distance as number) <= near.radius);
  if (parameters) rows = rows.filter(({ s }) => sensorsOf(s.id).some((x) => parameters.includes(x.parameterId)));
  if (countries && !countries.includes(22)) rows = [];
  if (q.iso !== undefined && q.iso.toUpperCase() !== 'FR') rows = [];
  if (providers && !providers.includes(70)) rows = [];
  if (q.mobile === 'true' || q.monitor === 'false') rows = [];
  rows.sort((a, b) => a.s.id - b.s.id);
  if (q.sort_order === 'desc') rows.reverse();
  const results = slice(rows, limit, pageNo).map(({ s, distance }) => locationResource(s, clock.lastMs, distance === null ? null : Math.round(distance * 1e4) / 1e4));
  return page(results, limit, pageNo);
}

export function getLocation(idRaw: string, clock: Clock) {
  const station = stationById(pathId(idRaw, 'locations_id'));
  if (!station) throw new NotFound('Location not found');
  return page([locationResource(station, clock.lastMs)], 100, 1);
}

export function locationSensors(idRaw: string, clock: Clock) {
  const id = pathId(idRaw, 'locations_id');
  if (!stationById(id)) throw new NotFound('Location not found');
  const sensors = sensorsOf(id).map((s) => sensorResource(s, clock.lastMs));
  return page(sensors, 100, 1);
}

function sensor(idRaw: string): SimSensor {
  const s = SENSORS.get(pathId(idRaw, 'sensors_id'));
  if (!s) throw new NotFound('Sensor not found');
  return s;
}

export function getSensor(idRaw: string, clock: Clock) {
  return page([sensorResource(sensor(idRaw), clock.lastMs)], 100, 1);
}

/**
 * /sensors/{id}/hours and /measurements: hours whose period END is after datetime_from (exclusive) and at or before
 * datetime_to (inclusive), oldest first; hours without a value are absent.
 */
export function sensorSeries(idRaw: string, q: Query, clock: Clock, kind: 'hours' | 'raw') {
  const s = sensor(idRaw);
  const { limit, page: pageNo } = paging(q);
  const from = q.datetime_from !== undefined ? dateParam(q, 'datetime_from') : DATA_FIRST_MS - HOUR_MS;
  const to = q.datetime_to !== undefined ? dateParam(q, 'datetime_to') : clock.now;
  if (to <= from) throw new QueryError('datetime_to must be greater than datetime_from');
  const first = Math.max(floorHour(from) + HOUR_MS, DATA_FIRST_MS);
  const last = Math.min(floorHour(to), floorHour(clock.now));
  const skip = (pageNo - 1) * limit;
  const results = [];
  let seen = 0;
  for (let t = first; t <= last && results.length < limit; t += HOUR_MS) {
    if (!hasHourlyValue(s.id, t) || seen++ < skip) continue;
    results.push(measurementResource(s, t, simulatedHourlyValue(s.id, t) as number, kind));
  }
  return page(results, limit, pageNo);
}

function dateParam(q: Query, name: string): number {
  const ms = parseApiDateTime(q[name]);
  if (Number.isNaN(ms)) throw new QueryError([{ type: 'datetime_from_date_parsing', loc: ['query', name], msg: 'Input should be a valid datetime or date, invalid character in year', input: q[name] }]);
  return ms;
}

export function listParameters(q: Query) {
  const { limit, page: pageNo } = paging(q);
  const type = q.parameter_type;
  if (type !== undefined && type !== 'pollutant' && type !== 'meteorological') {
    throw new QueryError([{ type: 'enum', loc: ['query', 'parameter_type'], msg: "Input should be 'pollutant' or 'meteorological'", input: type }]);
  }
  const meteorological = (name: string) => /temp|humid|pressure|wind|^rh$/.test(name);
  const all = PARAMETERS.filter((p) => type === undefined || (type === 'meteorological') === meteorological(p.name)).map(parameterResource);
  return page(slice(all, limit, pageNo), limit, pageNo, all.length);
}

export function getParameter(idRaw: string) {
  const p = parameterById(pathId(idRaw, 'parameters_id'));
  if (!p) throw new NotFound('Parameter not found');
  return page([parameterResource(p)], 100, 1, 1);
}

/** Limit and page checks for single-resource endpoints, which accept (and ignore) them. */
export function checkPaging(q: Query): void {
  intParam(q, 'limit', 100, 1, 1000);
  intParam(q, 'page', 1, 1);
}
