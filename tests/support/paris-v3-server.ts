// A v3-shaped OpenAQ test server (node:http on 127.0.0.1, a random port) serving the real Paris-AQ data in
// tests/fixtures/openaq/paris-2024-04-11_2024-05-10.csv: what the original pipeline loaded from OpenAQ for 29
// Île-de-France stations (columns value,local,unit,name,location,latitude,longitude).
//
// Endpoints, with the real API's rules (docs.openaq.org API v3 reference):
//   /v3/parameters                 exact `found` (the SQL counts)
//   /v3/locations                  bbox, parameters_id, limit, page; `found` is ">{limit}" on a full page, else the rows
//   /v3/locations/{id}/sensors     the location's sensors
//   /v3/sensors/{id}/hours         datetime_from exclusive, datetime_to inclusive, both on the period END; naive values
//                                  in the location's time zone; oldest first; limit/page; `found` as for locations
// The key is required in X-API-Key (401 otherwise), other methods are 405, unknown paths and ids 404, bad paging 422.
//
// Each CSV row is one hourly value. `local` is OpenAQ's timestamp, i.e. the END of the hour (time-ending, per docs.openaq.org): the
// row "2024-04-21T00:00:00+02:00" is the hour 23:00-24:00 of 2024-04-20. Values are served as they are, -1.0
// sentinels included. Location and sensor ids are made up (the real ones are unknown here) and stable.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DateTime } from 'luxon';
import { OPENAQ_DATA } from './paths.js';
import { PARAMETERS as ALL_PARAMETERS, type ParameterInfo } from '../../tasks/openaq/parameter-table.js';

export const PARIS_CSV = path.join(OPENAQ_DATA, 'paris-2024-04-11_2024-05-10.csv');
const ZONE = 'Europe/Paris';
const HOUR_MS = 3_600_000;

/** The v3 parameters the server lists: OpenAQ's parameters table (GET /v3/parameters), as the product and its simulator know it. */
const PARAMETERS = ALL_PARAMETERS.filter((p) => p.id <= 10);

/** One row of the CSV. */
export interface ParisRow {
  value: number;
  /** As written, e.g. "2024-04-18T08:00:00+02:00": the end of the hour. */
  local: string;
  /** `local` as epoch ms. */
  periodEndMs: number;
  unit: string;
  /** Parameter name: no2, o3, pm10, pm25. */
  parameter: string;
  location: string;
  latitude: number;
  longitude: number;
}

/** The CSV (no field of it is quoted; checked). */
export function readParisCsv(file = PARIS_CSV): ParisRow[] {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  if (header !== 'value,local,unit,name,location,latitude,longitude') throw new Error(`${file}: unexpected header ${header}`);
  return lines.map((line, i) => {
    const f = line.split(',');
    if (f.length !== 7 || line.includes('"')) throw new Error(`${file}:${i + 2}: expected 7 unquoted fields`);
    const periodEndMs = Date.parse(f[1]!);
    if (!Number.isFinite(periodEndMs)) throw new Error(`${file}:${i + 2}: bad timestamp ${f[1]}`);
    return { value: Number(f[0]), local: f[1]!, periodEndMs, unit: f[2]!, parameter: f[3]!, location: f[4]!, latitude: Number(f[5]), longitude: Number(f[6]) };
  });
}

export interface ParisSensor {
  id: number;
  locationId: number;
  parameter: ParameterInfo;
  /** Hourly rows, by period end ascending. */
  hours: ParisRow[];
}

export interface ParisStation {
  id: number;
  name: string;
  latitude: number;
  longitude: number;
  sensors: ParisSensor[];
}

export interface ParisV3Server {
  url: string;
  stations: ParisStation[];
  /** Every request target (path and query) received, in order. */
  requests: string[];
  /** "STATUS target" of every answer that was not a 200. */
  errors: string[];
  close(): Promise<void>;
}

/** The stations of the CSV, by name; location ids 3000001.., sensor ids 14000001.. (made up, stable). */
export function parisStations(rows: ParisRow[]): ParisStation[] {
  const names = [...new Set(rows.map((r) => r.location))].sort();
  let sensorId = 14_000_000;
  return names.map((name, i) => {
    const mine = rows.filter((r) => r.location === name);
    const first = mine[0]!;
    if (mine.some((r) => r.latitude !== first.latitude || r.longitude !== first.longitude)) throw new Error(`${name} has more than one position`);
    const id = 3_000_001 + i;
    const sensors = [...new Set(mine.map((r) => r.parameter))].sort().map((pname) => {
      const parameter = PARAMETERS.find((p) => p.name === pname && p.units === 'µg/m³');
      if (!parameter) throw new Error(`no v3 parameter id for ${pname} µg/m³`);
      return { id: ++sensorId, locationId: id, parameter, hours: mine.filter((r) => r.parameter === pname).sort((a, b) => a.periodEndMs - b.periodEndMs) };
    });
    return { id, name, latitude: first.latitude, longitude: first.longitude, sensors };
  });
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

function pair(ms: number) {
  return {
    utc: new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    local: DateTime.fromMillis(ms, { zone: ZONE }).toISO({ suppressMilliseconds: true, includeOffset: true })!,
  };
}

/** The envelope; `total` only where the real SQL counts, else ">{limit}" on a full page or the rows on the page. */
function envelope(results: unknown[], limit: number, page: number, total?: number) {
  return { meta: { name: 'openaq-api', website: '/', page, limit, found: total ?? (results.length >= limit ? `>${limit}` : results.length) }, results };
}

function intParam(q: URLSearchParams, name: string, fallback: number, min: number, max?: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  const item = (type: string, msg: string) => new HttpError(422, { detail: [{ type, loc: ['query', name], msg, input: raw }] });
  if (!/^-?\d+$/.test(raw)) throw item('int_parsing', 'Input should be a valid integer, unable to parse string as an integer');
  if (n < min) throw item('greater_than', `Input should be greater than ${min - 1}`);
  if (max !== undefined && n > max) throw item('less_than_equal', `Input should be less than or equal to ${max}`);
  return n;
}

function paging(q: URLSearchParams): { limit: number; page: number } {
  return { limit: intParam(q, 'limit', 100, 1, 1000), page: intParam(q, 'page', 1, 1) };
}

function idList(q: URLSearchParams, name: string): number[] | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  const ids = raw.split(',').map((s) => s.trim());
  if (!ids.every((s) => /^\d+$/.test(s))) throw new HttpError(422, { detail: [{ type: 'int_parsing', loc: ['query', name], msg: 'Input should be a valid integer', input: raw }] });
  return ids.map(Number);
}

function dateParam(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  // With Z or an offset the value is absolute; a bare date or naive datetime is in the location's time zone.
  const dt = DateTime.fromISO(raw.trim(), { zone: ZONE });
  if (!dt.isValid) throw new HttpError(422, { detail: [{ type: 'datetime_from_date_parsing', loc: ['query', name], msg: 'Input should be a valid datetime or date', input: raw }] });
  return dt.toMillis();
}

function parameterRef(p: ParameterInfo, withDisplayName = true) {
  return { id: p.id, name: p.name, units: p.units, displayName: withDisplayName ? p.displayName : null };
}

function locationResource(s: ParisStation) {
  const ends = s.sensors.flatMap((x) => x.hours.map((h) => h.periodEndMs));
  return {
    id: s.id,
    name: s.name,
    locality: null,
    timezone: ZONE,
    country: { id: 22, code: 'FR', name: 'France' },
    owner: { id: 4, name: 'Unknown Governmental Organization' },
    provider: { id: 70, name: 'EEA' },
    isMobile: false,
    isMonitor: true,
    instruments: [{ id: 2, name: 'Government Monitor' }],
    sensors: s.sensors.map((x) => ({ id: x.id, name: `${x.parameter.name} ${x.parameter.units}`, parameter: parameterRef(x.parameter) })),
    coordinates: { latitude: s.latitude, longitude: s.longitude },
    licenses: [{ id: 47, name: 'CC BY 4.0', attribution: { name: 'European Environment Agency', url: 'https://www.eea.europa.eu' }, dateFrom: '2016-11-22', dateTo: null }],
    bounds: [s.longitude, s.latitude, s.longitude, s.latitude],
    distance: null,
    datetimeFirst: pair(Math.min(...ends)),
    datetimeLast: pair(Math.max(...ends)),
  };
}

function sensorResource(x: ParisSensor, s: ParisStation) {
  const valid = x.hours.filter((h) => h.value >= 0);
  const last = valid.at(-1);
  const avg = valid.reduce((a, h) => a + h.value, 0) / (valid.length || 1);
  return {
    id: x.id,
    name: `${x.parameter.name} ${x.parameter.units}`,
    parameter: parameterRef(x.parameter),
    datetimeFirst: pair(x.hours[0]!.periodEndMs),
    datetimeLast: pair(x.hours.at(-1)!.periodEndMs),
    coverage: null,
    latest: last ? { datetime: pair(last.periodEndMs), value: last.value, coordinates: { latitude: s.latitude, longitude: s.longitude } } : null,
    summary: valid.length ? { min: Math.min(...valid.map((h) => h.value)), q02: null, q25: null, median: null, q75: null, q98: null, max: Math.max(...valid.map((h) => h.value)), avg, sd: null } : null,
  };
}

/** One row of /hours: label 1hour, the hourly value with its one-value summary and coverage, stamped at the period end. */
function hourResource(x: ParisSensor, h: ParisRow) {
  const v = h.value;
  const to = pair(h.periodEndMs);
  return {
    value: v,
    flagInfo: { hasFlags: false },
    parameter: parameterRef(x.parameter, false),
    period: { label: '1hour', interval: '01:00:00', datetimeFrom: pair(h.periodEndMs - HOUR_MS), datetimeTo: to },
    coordinates: null,
    summary: { min: v, q02: v, q25: v, median: v, q75: v, q98: v, max: v, avg: v, sd: null },
    coverage: { expectedCount: 1, expectedInterval: '01:00:00', observedCount: 1, observedInterval: '01:00:00', percentComplete: 100.0, percentCoverage: 100.0, datetimeFrom: to, datetimeTo: to },
  };
}

function pathId(raw: string, name: string): number {
  if (!/^\d+$/.test(raw)) throw new HttpError(422, { detail: [{ type: 'int_parsing', loc: ['path', name], msg: 'Input should be a valid integer, unable to parse string as an integer', input: raw }] });
  return Number(raw);
}

export async function startParisV3Server(opts: { apiKey: string; rows?: ParisRow[] }): Promise<ParisV3Server> {
  const stations = parisStations(opts.rows ?? readParisCsv());
  const sensors = new Map(stations.flatMap((s) => s.sensors.map((x): [number, { x: ParisSensor; s: ParisStation }] => [x.id, { x, s }])));
  const requests: string[] = [];
  const errors: string[] = [];

  function route(url: URL): unknown {
    const q = url.searchParams;
    const p = url.pathname;
    let m: RegExpExecArray | null;
    if (p === '/v3/parameters') {
      const { limit, page } = paging(q);
      return envelope(PARAMETERS.slice((page - 1) * limit, page * limit), limit, page, PARAMETERS.length);
    }
    if (p === '/v3/locations') {
      const { limit, page } = paging(q);
      let rows = stations;
      const bbox = q.get('bbox');
      if (bbox !== null) {
        const b = bbox.split(',').map(Number);
        if (b.length !== 4 || b.some((n) => !Number.isFinite(n))) throw new HttpError(422, { detail: [{ type: 'value_error', loc: ['query', 'bbox'], msg: 'Value error, bbox must be four numbers', input: bbox }] });
        const [minX, minY, maxX, maxY] = b as [number, number, number, number];
        rows = rows.filter((s) => s.longitude >= minX && s.longitude <= maxX && s.latitude >= minY && s.latitude <= maxY);
      }
      const params = idList(q, 'parameters_id');
      if (params) rows = rows.filter((s) => s.sensors.some((x) => params.includes(x.parameter.id)));
      return envelope(rows.slice((page - 1) * limit, page * limit).map(locationResource), limit, page);
    }
    if ((m = /^\/v3\/locations\/([^/]+)\/sensors$/.exec(p))) {
      const s = stations.find((x) => x.id === pathId(m![1]!, 'locations_id'));
      if (!s) throw new HttpError(404, { detail: 'Location not found' });
      return envelope(s.sensors.map((x) => sensorResource(x, s)), 100, 1);
    }
    if ((m = /^\/v3\/sensors\/([^/]+)\/hours$/.exec(p))) {
      const found = sensors.get(pathId(m[1]!, 'sensors_id'));
      if (!found) throw new HttpError(404, { detail: 'Sensor not found' });
      const { limit, page } = paging(q);
      const from = dateParam(q, 'datetime_from') ?? -Infinity;
      const to = dateParam(q, 'datetime_to') ?? Infinity;
      if (to <= from) throw new HttpError(422, 'datetime_to must be greater than datetime_from');
      const hours = found.x.hours.filter((h) => h.periodEndMs > from && h.periodEndMs <= to);
      return envelope(hours.slice((page - 1) * limit, page * limit).map((h) => hourResource(found.x, h)), limit, page);
    }
    throw new HttpError(404, { detail: 'Not Found' });
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    const send = (status: number, body: unknown) => {
      if (status !== 200) errors.push(`${status} ${url.pathname + url.search}`);
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'public, max-age=900' });
      res.end(text);
    };
    const key = req.headers['x-api-key'];
    if (!key) return send(401, { message: 'Unauthorized. A valid API key must be provided in the X-API-Key header.' });
    if (key !== opts.apiKey) return send(401, { detail: 'Invalid credentials' });
    if (req.method !== 'GET') return send(405, { detail: 'Method Not Allowed' });
    try {
      send(200, route(url));
    } catch (err) {
      if (err instanceof HttpError) send(err.status, err.body);
      else send(500, { detail: 'Internal Server Error' });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stations,
    requests,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
