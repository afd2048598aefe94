// GET /api/analytics/measurements, /daily (Arrow IPC streams) and /stations (JSON): the dashboard's data, read from
// the warehouse in a fixed order, streamed batch by batch, gzip-compressed when the client accepts it.
import { Hono, type Context } from 'hono';
import type * as arrow from 'apache-arrow';
import { logger } from '../../../engine/log.js';
import type { AuthEnv } from '../auth/middleware.js';
import { ApiError } from '../errors.js';
import { ARROW_STREAM_TYPE, arrowStream, DAILY_SCHEMA, gzipEachChunk, MEASUREMENTS_SCHEMA } from './arrow-stream.js';
import { monthBlocks, parseRange, type Pollutant } from './params.js';
import type { AnalyticsSession, AnalyticsSource } from './source.js';
import { dailySql, measurementsSql, STATIONS_SQL } from './sql.js';

export const ANALYTICS_PATH = '/api/analytics';

/** What the warehouse's errors mean to a dashboard user (never the SQL or a path). */
function unavailable(err: unknown): ApiError {
  const name = (err as Error)?.name;
  if (name === 'WarehouseInputError') return new ApiError(503, 'The warehouse holds no data yet: load a day first (dag run openaq --date YYYY-MM-DD)');
  if (name === 'WarehouseQueryError' && /daily_air_quality/.test((err as Error).message)) {
    return new ApiError(503, 'The warehouse has no daily statistics yet: run the load_star task of a loaded day again');
  }
  logger.error({ err }, 'analytics query failed');
  return new ApiError(503, 'The warehouse could not be read: try again in a moment');
}

/** Opens a session, reads the first batch (so that a failure is still an HTTP error), then streams the rest. */
async function streamed(c: Context, source: AnalyticsSource, sqls: string[], schema: arrow.Schema): Promise<Response> {
  let session: AnalyticsSession;
  try {
    session = await source.open();
  } catch (err) {
    throw unavailable(err);
  }
  async function* all(): AsyncGenerator<arrow.RecordBatch> {
    for (const sql of sqls) yield* session.query(sql);
  }
  const it = all();
  let first: IteratorResult<arrow.RecordBatch>;
  try {
    first = await it.next();
  } catch (err) {
    await session.close();
    throw unavailable(err);
  }
  async function* rest(): AsyncGenerator<arrow.RecordBatch> {
    if (!first.done) yield first.value;
    yield* { [Symbol.asyncIterator]: () => it };
  }
  let body: ReadableStream<Uint8Array> = arrowStream(rest(), schema, () => session.close());
  const headers: Record<string, string> = { 'Content-Type': ARROW_STREAM_TYPE, 'Cache-Control': 'no-store', Vary: 'Accept-Encoding' };
  if (/\bgzip\b/i.test(c.req.header('accept-encoding') ?? '')) {
    body = body.pipeThrough(gzipEachChunk());
    headers['Content-Encoding'] = 'gzip';
  }
  return new Response(body, { status: 200, headers });
}

interface StationRow {
  location_id: unknown;
  name: unknown;
  latitude: unknown;
  longitude: unknown;
  sensor_id: unknown;
  parameter: unknown;
  units: unknown;
  first_time: unknown;
  last_time: unknown;
}

const iso = (ms: unknown) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

/** Pure: sensor rows grouped into stations, each with its sensors and the span of its valid data. */
export function groupStations(rows: StationRow[]) {
  const byId = new Map<number, { id: number; name: string | null; latitude: number | null; longitude: number | null; sensors: unknown[]; first_time: string | null; last_time: string | null }>();
  for (const r of rows) {
    const id = Number(r.location_id);
    let s = byId.get(id);
    if (!s) {
      s = { id, name: (r.name as string) ?? null, latitude: r.latitude === null ? null : Number(r.latitude), longitude: r.longitude === null ? null : Number(r.longitude), sensors: [], first_time: null, last_time: null };
      byId.set(id, s);
    }
    const first = iso(r.first_time);
    const last = iso(r.last_time);
    s.sensors.push({ id: Number(r.sensor_id), parameter: r.parameter, units: r.units, first_time: first, last_time: last });
    if (first && (!s.first_time || first < s.first_time)) s.first_time = first;
    if (last && (!s.last_time || last > s.last_time)) s.last_time = last;
  }
  return [...byId.values()];
}

export function analyticsRoutes(source: AnalyticsSource): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const range = (c: Context) => parseRange(c.req.query());
  const blocks = (p: Pollutant, from: string, to: string, sql: (p: Pollutant, f: string, t: string) => string) => monthBlocks(from, to).map((b) => sql(p, b.from, b.to));

  app.get(`${ANALYTICS_PATH}/measurements`, (c) => {
    const q = range(c);
    return streamed(c, source, blocks(q.parameter, q.from, q.to, measurementsSql), MEASUREMENTS_SCHEMA);
  });
  app.get(`${ANALYTICS_PATH}/daily`, (c) => {
    const q = range(c);
    return streamed(c, source, blocks(q.parameter, q.from, q.to, dailySql), DAILY_SCHEMA);
  });
  app.get(`${ANALYTICS_PATH}/stations`, async (c) => {
    let session: AnalyticsSession;
    const rows: StationRow[] = [];
    try {
      session = await source.open();
      try {
        for await (const b of session.query(STATIONS_SQL)) for (const r of b) rows.push(r!.toJSON() as unknown as StationRow);
      } finally {
        await session.close();
      }
    } catch (err) {
      throw unavailable(err);
    }
    return c.json({ stations: groupStations(rows) });
  });
  return app;
}
