// Query parameters as the v3 API validates them (openaq_api/v3/models/queries.py): out-of-range values answer 422
// with FastAPI's {"detail": [{type, loc, msg, input}]}; unknown parameters are silently ignored, as the real API does.
export type Query = Record<string, string>;

export interface DetailItem {
  type: string;
  loc: string[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

/** A 422: `detail` is a list of FastAPI items, or a bare string (as for datetime_to <= datetime_from). */
export class QueryError extends Error {
  constructor(readonly detail: DetailItem[] | string) {
    super(typeof detail === 'string' ? detail : detail.map((d) => d.msg).join('; '));
  }
}

function fail(name: string, type: string, msg: string, input: unknown, ctx?: Record<string, unknown>): never {
  throw new QueryError([{ type, loc: ['query', name], msg, input, ...(ctx ? { ctx } : {}) }]);
}

export function intParam(q: Query, name: string, fallback: number, min: number, max?: number): number {
  const raw = q[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) fail(name, 'int_parsing', 'Input should be a valid integer, unable to parse string as an integer', raw);
  const n = Number(raw);
  if (n < min) fail(name, min === 1 ? 'greater_than' : 'greater_than_equal', `Input should be greater than ${min === 1 ? 0 : 'or equal to ' + min}`, raw, min === 1 ? { gt: 0 } : { ge: min });
  if (max !== undefined && n > max) fail(name, 'less_than_equal', `Input should be less than or equal to ${max}`, raw, { le: max });
  return n;
}

/** Paging: `limit` 1..1000 (default 100), `page` >= 1 (default 1). */
export function paging(q: Query): { limit: number; page: number } {
  return { limit: intParam(q, 'limit', 100, 1, 1000), page: intParam(q, 'page', 1, 1) };
}

/** An id filter: one id or a comma list. */
export function idList(q: Query, name: string): number[] | undefined {
  const raw = q[name];
  if (raw === undefined || raw === '') return undefined;
  const ids = raw.split(',').map((s) => s.trim());
  if (!ids.every((s) => /^\d+$/.test(s))) fail(name, 'int_parsing', 'Input should be a valid integer, unable to parse string as an integer', raw);
  return ids.map(Number);
}

/** Coordinates are truncated to 4 decimals, as the API does. */
function truncate4(x: number): number {
  return Math.trunc(x * 10_000) / 10_000;
}

export function bboxParam(q: Query): [number, number, number, number] | undefined {
  const raw = q.bbox;
  if (raw === undefined || raw === '') return undefined;
  const parts = raw.split(',').map(Number);
  const msg = 'Value error, bbox must be four numbers: minimum longitude, minimum latitude, maximum longitude, maximum latitude';
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) fail('bbox', 'value_error', msg, raw);
  const [minX, minY, maxX, maxY] = parts.map(truncate4);
  if (Math.abs(minX) > 180 || Math.abs(maxX) > 180) fail('bbox', 'value_error', 'Value error, longitudes must be between -180 and 180', raw);
  if (Math.abs(minY) > 90 || Math.abs(maxY) > 90) fail('bbox', 'value_error', 'Value error, latitudes must be between -90 and 90', raw);
  if (minX > maxX || minY > maxY) fail('bbox', 'value_error', 'Value error, minimum values must not be greater than maximum values', raw);
  return [minX, minY, maxX, maxY];
}

export function radiusParams(q: Query): { lat: number; lon: number; radius: number } | undefined {
  const { coordinates, radius } = q;
  if (coordinates === undefined && radius === undefined) return undefined;
  if (coordinates === undefined || radius === undefined) {
    fail(coordinates === undefined ? 'coordinates' : 'radius', 'value_error', 'Value error, Coordinates and radius are both required', coordinates ?? radius);
  }
  if (q.bbox !== undefined) fail('bbox', 'value_error', 'Value error, Cannot pass both bounding box and coordinate/radius query in the same URL', q.bbox);
  const parts = coordinates.split(',').map(Number);
  if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n)) || Math.abs(parts[0]) > 90 || Math.abs(parts[1]) > 180) {
    fail('coordinates', 'value_error', 'Value error, coordinates must be latitude,longitude within range', coordinates);
  }
  const r = intParam(q, 'radius', 0, 1, 25_000);
  return { lat: truncate4(parts[0]), lon: truncate4(parts[1]), radius: r };
}
