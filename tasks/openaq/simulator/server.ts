// The offline OpenAQ v3 simulator: a Hono app on 127.0.0.1 serving the 29 Île-de-France stations with the real
// API's shapes, paging, errors and rate-limit headers, plus injectable faults for tests and benchmarks.
import type { AddressInfo } from 'node:net';
import { serve, type HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context } from 'hono';
import { decideFault, type Faults } from './faults.js';
import { QueryError } from './query.js';
import { FixedWindowCounter, rateHeaders } from './rate-window.js';
import {
  NotFound,
  checkPaging,
  getLocation,
  getParameter,
  getSensor,
  listLocations,
  listParameters,
  locationSensors,
  sensorSeries,
  type Clock,
} from './routes.js';
import { floorHour } from './time.js';

export interface SimulatorOptions {
  /** 0 (default): any free port. */
  port?: number;
  host?: '127.0.0.1';
  /** Requests per key per window, as the real API (60); 0 or unset: no limit and no rate-limit headers. */
  rateLimitPerMinute?: number;
  /** The rate window (default a clock minute); shorter in tests. */
  rateWindowMs?: number;
  faults?: Faults;
  /** When set, requests must carry it in X-API-Key (401 otherwise). */
  apiKey?: string;
}

export interface SimulatorStats {
  requests: number;
  /** Requests per request target (path and query, e.g. "/v3/sensors/40185/hours?datetime_from=..."). */
  byPath: Map<string, number>;
  /** Requests per rate window, keyed by the window's start (epoch ms); a clock minute unless rateWindowMs is set. */
  perMinute: Map<number, number>;
  byStatus: Map<number, number>;
  status429: number;
  /** Faults injected (429/5xx/truncated/malformed). */
  faults: number;
}

export interface Simulator {
  url: string;
  close(): Promise<void>;
  stats(): SimulatorStats;
  /** Replace the faults; the pattern starts over, as if the simulator had just started with them. */
  setFaults(faults: Faults): void;
}

const GONE = {
  message: 'Gone. Version 1 and Version 2 API endpoints are retired and no longer available. Please migrate to Version 3 endpoints.',
};

interface SimulatorState {
  faults: Faults;
  /** Requests seen per target since the faults were set: the fault pattern's clock. */
  seen: Map<string, number>;
  stats: SimulatorStats;
  lastMs: number;
}

export function simulatorApp(opts: SimulatorOptions, state: SimulatorState): Hono {
  const windowMs = opts.rateWindowMs ?? 60_000;
  const counter = opts.rateLimitPerMinute ? new FixedWindowCounter(opts.rateLimitPerMinute, windowMs) : undefined;
  const { stats } = state;
  const app = new Hono();

  app.use('*', async (c, next) => {
    const now = Date.now();
    const url = new URL(c.req.url);
    const target = url.pathname + url.search;
    stats.requests++;
    stats.byPath.set(target, (stats.byPath.get(target) ?? 0) + 1);
    const windowStart = Math.floor(now / windowMs) * windowMs;
    stats.perMinute.set(windowStart, (stats.perMinute.get(windowStart) ?? 0) + 1);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      stats.byStatus.set(status, (stats.byStatus.get(status) ?? 0) + 1);
      if (status === 429) stats.status429++;
      c.res = json(body, status, headers);
    };

    // The WAF answers first: retired versions, then the key.
    if (/^\/v[12](\/|$)/.test(url.pathname)) return reply(410, GONE);
    const key = c.req.header('x-api-key');
    if (opts.apiKey !== undefined) {
      if (!key) return reply(401, { message: 'Unauthorized. A valid API key must be provided in the X-API-Key header.' });
      if (key !== opts.apiKey) return reply(401, { detail: 'Invalid credentials' });
    }
    let limitHeaders: Record<string, string> = {};
    if (counter) {
      const d = counter.hit(key ?? 'anonymous', now);
      limitHeaders = rateHeaders(d);
      if (!d.allowed) return reply(429, { detail: 'Too many requests' }, limitHeaders);
    }
    if (c.req.method !== 'GET') return reply(405, { detail: 'Method Not Allowed' }, limitHeaders);

    const nth = (state.seen.get(target) ?? 0) + 1;
    state.seen.set(target, nth);
    const fault = decideFault(state.faults, target, nth);
    if (state.faults.slowMs) await new Promise((r) => setTimeout(r, state.faults.slowMs));
    if (fault) stats.faults++;
    if (fault?.kind === 'status') {
      const body = fault.status === 429 ? { detail: 'Too many requests' } : { detail: fault.status === 500 ? 'Internal Server Error' : fault.status === 502 ? 'Bad Gateway' : 'Service Unavailable' };
      return reply(fault.status, body, limitHeaders);
    }

    await next();
    for (const [k, v] of Object.entries(limitHeaders)) c.res.headers.set(k, v);
    c.res.headers.set('cache-control', 'public, max-age=900');
    stats.byStatus.set(c.res.status, (stats.byStatus.get(c.res.status) ?? 0) + 1);
    if (fault?.kind === 'malformed' && c.res.ok) {
      const text = await c.res.text();
      c.res = new Response(text.slice(0, Math.floor(text.length * 0.6)), { status: 200, headers: c.res.headers });
    } else if (fault?.kind === 'truncated' && c.res.ok) {
      await cutShort(c, Buffer.from(await c.res.arrayBuffer()));
    }
  });

  const clock = (): Clock => ({ lastMs: state.lastMs, now: Date.now() });
  const v3 = new Hono();
  v3.get('/locations', (c) => c.json(listLocations(c.req.query(), clock())));
  v3.get('/locations/:id', (c) => (checkPaging(c.req.query()), c.json(getLocation(c.req.param('id'), clock()))));
  v3.get('/locations/:id/sensors', (c) => c.json(locationSensors(c.req.param('id'), clock())));
  v3.get('/sensors/:id', (c) => c.json(getSensor(c.req.param('id'), clock())));
  v3.get('/sensors/:id/hours', (c) => c.json(sensorSeries(c.req.param('id'), c.req.query(), clock(), 'hours')));
  v3.get('/sensors/:id/measurements', (c) => c.json(sensorSeries(c.req.param('id'), c.req.query(), clock(), 'raw')));
  v3.get('/parameters', (c) => c.json(listParameters(c.req.query())));
  v3.get('/parameters/:id', (c) => c.json(getParameter(c.req.param('id'))));
  app.route('/v3', v3);

  app.notFound((c) => c.json({ detail: 'Not Found' }, 404));
  app.onError((err, c) => {
    // Query-model errors come as FastAPI's {detail: [...]}, other validation errors as a bare JSON string.
    if (err instanceof QueryError) return c.json(typeof err.detail === 'string' ? err.detail : { detail: err.detail }, 422);
    if (err instanceof NotFound) return c.json({ detail: err.message }, 404);
    return c.json({ detail: 'Internal Server Error' }, 500);
  });
  return app;
}

function json(body: unknown, status: number, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/**
 * The runtime's own Response class. Once a Hono server has started in the process (the web server of `dag standalone`,
 * an earlier test file), globalThis.Response is @hono/node-server's lighter one, and a bodiless response of that class
 * is written out without a look at its x-hono-already-sent header (responseViaCache in @hono/node-server's
 * src/listener.ts): headers a second time, "Cannot write headers after they are sent". fetch's responses are native.
 */
let nativeResponse: Promise<typeof Response> | undefined;
const NativeResponse = () => (nativeResponse ??= fetch('data:,').then((r) => r.constructor as typeof Response));

/** Promise the whole body, send half, then drop the connection (what a proxy timeout or a reset looks like). */
async function cutShort(c: Context, body: Buffer): Promise<void> {
  const { outgoing } = c.env as HttpBindings;
  const headers: Record<string, string> = {};
  c.res.headers.forEach((v, k) => (headers[k] = v));
  // What tells @hono/node-server that the response went out by other means (RESPONSE_ALREADY_SENT, of whichever
  // Response class was global when its module loaded), made of the native class so that it is heeded.
  const sent = new (await NativeResponse())(null, { headers: RESPONSE_ALREADY_SENT.headers });
  outgoing.writeHead(200, { ...headers, 'content-length': String(body.length) });
  outgoing.write(body.subarray(0, Math.floor(body.length / 2)), () => outgoing.destroy());
  // Replace the response outright (assigning over an existing one would copy it into a new Response).
  c.res = undefined;
  c.res = sent;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const stats: SimulatorStats = { requests: 0, byPath: new Map(), perMinute: new Map(), byStatus: new Map(), status429: 0, faults: 0 };
  const state: SimulatorState = { faults: { ...(opts.faults ?? {}) }, seen: new Map(), stats, lastMs: floorHour(Date.now()) };
  const app = simulatorApp(opts, state);
  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: host }, () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'EADDRINUSE' ? `port ${opts.port} on ${host} is already in use: pick another with --port` : err.message)),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    stats: () => stats,
    setFaults: (f) => {
      state.faults = { ...f };
      state.seen.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
