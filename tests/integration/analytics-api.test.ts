// The dashboard's data endpoints (/api/analytics/*) on the web app in-process, over a DuckDB warehouse loaded from the
// real Paris CSV (through the real transform and load), read through the same snapshot reader `dag serve` uses.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouseReader, type WarehouseReader } from '../../tasks/warehouse/warehouse-reader.js';
import { loadStarOperator } from '../../tasks/warehouse/load-star.js';
import type { AnalyticsSource } from '../../ui/server/analytics/source.js';
import { workspace } from '../support/cli.js';
import { runOperator } from '../support/operator-harness.js';
import { loadParisDays, PARIS_STATIONS } from '../support/paris-warehouse.js';
import { ROOT } from '../support/paths.js';
import { runOpenaq } from '../support/pipeline-run.js';
import { startWebApp, type WebApp } from '../support/web.js';
import { saveEnv } from '../support/env.js';

// Two calendar months, so the stream is read in two blocks.
const FROM = '2024-04-29';
const TO = '2024-05-02';
const ws = workspace({ 'openaq.yaml': fs.readFileSync(path.join(ROOT, 'dags/openaq.yaml'), 'utf8') });
const HOUR = 3_600_000;
let reader: WarehouseReader;
let web: WebApp;
let published: WebApp;
let token: string;
/** When set, a query of the stream's last block waits for it (to see what the client has before the end). */
let gate: { reached: () => void; release: Promise<void> } | undefined;

const source: AnalyticsSource = {
  async open() {
    const s = await reader.open();
    return {
      close: () => s.close(),
      query: (sql: string) =>
        (async function* () {
          if (gate && sql.includes(`DATE '${TO}'`)) {
            gate.reached();
            await gate.release;
          }
          yield* s.query(sql);
        })(),
    };
  },
};

/** The CSV's hourly rows of a parameter in the Paris local days FROM..TO, by hour start then sensor id. */
function csvRows(parameter: string): { time: number; sensor_id: number; location_id: number; value: number | null }[] {
  const start = Date.parse('2024-04-28T22:00:00Z');
  const end = Date.parse('2024-05-02T22:00:00Z');
  return PARIS_STATIONS.flatMap((s) =>
    s.sensors
      .filter((x) => x.parameter.name === parameter)
      .flatMap((x) => x.hours.map((h) => ({ time: h.periodEndMs - HOUR, sensor_id: x.id, location_id: s.id, value: h.value >= 0 ? Math.fround(h.value) : null }))),
  )
    .filter((r) => r.time >= start && r.time < end)
    .sort((a, b) => a.time - b.time || a.sensor_id - b.sensor_id);
}

const get = (p: string, headers: Record<string, string> = {}) => fetch(web.url + p, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'identity', ...headers } });
const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

const restoreEnv = saveEnv();

beforeAll(async () => {
  for (const k of Object.keys(process.env)) if (k.startsWith('WINDSOCK_')) delete process.env[k];
  process.env.WINDSOCK_HOME = ws.home;
  await loadParisDays(ws.home, ['2024-04-29', '2024-04-30', '2024-05-01', '2024-05-02']);
  reader = await openWarehouseReader(undefined, { home: ws.home });
  web = await startWebApp(ws, {}, { analytics: source, dashboard: { public: false, tiles: null } });
  published = await startWebApp(ws, {}, { analytics: source, dashboard: { public: true, tiles: null } });
  token = await web.userToken('viewer');
  await web.userToken('viewer', 'dash-viewer');
}, 120_000);

afterAll(async () => {
  await web?.close();
  await published?.close();
  await reader?.close();
  restoreEnv();
});

describe('GET /api/analytics/measurements', () => {
  it('streams every hour of the days as Arrow, in (time, sensor) order, invalid values as null', async () => {
    const res = await get(`/api/analytics/measurements?parameter=pm25&from=${FROM}&to=${TO}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = arrow.tableFromIPC(await bytes(res));
    expect(table.schema.fields.map((f) => `${f.name}:${f}`)).toEqual(['time:time: Timestamp<MILLISECOND, UTC>', 'sensor_id:sensor_id: Int32', 'location_id:location_id: Int32', 'value:value: Float32']);
    const got = [...table].map((r) => ({ time: r!.time as number, sensor_id: r!.sensor_id as number, location_id: r!.location_id as number, value: r!.value as number | null }));
    const expected = csvRows('pm25');
    expect(expected.some((r) => r.value === null)).toBe(true);
    expect(got).toEqual(expected);
  });

  it('sends the first batch before the last block is read: nothing is buffered whole', async () => {
    let reached!: () => void;
    const atLastBlock = new Promise<void>((r) => (reached = r));
    let release!: () => void;
    gate = { reached, release: new Promise<void>((r) => (release = r)) };
    try {
      const res = await get(`/api/analytics/measurements?parameter=no2&from=${FROM}&to=${TO}`);
      const batches = await arrow.RecordBatchReader.from(res);
      const first = await batches.next();
      expect(first.done).toBe(false);
      await atLastBlock; // the server is held before reading the last days...
      const firstTimes = (first.value as arrow.RecordBatch).getChild('time')!.toArray() as unknown as ArrayLike<bigint>;
      // ...and the client already has rows of the first month
      expect(Number(firstTimes[0])).toBe(csvRows('no2')[0]!.time);
      // While the stream is open, a load into the warehouse is not held up by it (the stream reads a snapshot).
      await runOperator(loadStarOperator, {}, { home: ws.home, dsLocal: '2024-04-30', dagId: 'openaq' });
      release();
      let rows = (first.value as arrow.RecordBatch).numRows;
      for await (const b of batches) rows += b.numRows;
      expect(rows).toBe(csvRows('no2').length);
    } finally {
      gate = undefined;
    }
  });

  it('gives byte-identical streams for the same query, gzip-compressed when accepted', async () => {
    const q = `/api/analytics/measurements?parameter=o3&from=${FROM}&to=${TO}`;
    const [a, b] = [await bytes(await get(q)), await bytes(await get(q))];
    expect(a.equals(b)).toBe(true);
    const gz = await fetch(web.url + q, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    // fetch decodes gzip itself: the decoded bytes are the same stream
    expect((await bytes(gz)).equals(a)).toBe(true);
    const raw = await new Promise<Buffer>((resolve, reject) => {
      import('node:http').then(({ get: httpGet }) =>
        httpGet(web.url + q, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' } }, (r) => {
          const parts: Buffer[] = [];
          r.on('data', (d: Buffer) => parts.push(d)).on('end', () => resolve(Buffer.concat(parts))).on('error', reject);
        }),
      );
    });
    expect(raw.length).toBeLessThan(a.length);
    expect(zlib.gunzipSync(raw).equals(a)).toBe(true);
  });

  it('an empty range is a valid empty stream', async () => {
    const res = await get('/api/analytics/measurements?parameter=pm10&from=2023-01-01&to=2023-01-31');
    expect(res.status).toBe(200);
    const table = arrow.tableFromIPC(await bytes(res));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['time', 'sensor_id', 'location_id', 'value']);
  });

  it('a bad parameter or date is 400 with a detail that says what to send', async () => {
    const cases: [string, RegExp][] = [
      [`parameter=co&from=${FROM}&to=${TO}`, /^query parameter parameter=co is not a pollutant the dashboard knows: send one of pm25, pm10, no2, o3$/],
      [`from=${FROM}&to=${TO}`, /^query parameter parameter is required/],
      [`parameter=pm25&from=2024-02-30&to=${TO}`, /^query parameter from=2024-02-30 is not a date: send a Paris local day as YYYY-MM-DD/],
      [`parameter=pm25&from=${FROM}`, /^query parameter to is required/],
      [`parameter=pm25&from=${TO}&to=${FROM}`, /^query parameter to=2024-04-29 is before from=2024-05-02/],
    ];
    for (const [q, detail] of cases) {
      const r = await web.req('GET', `/api/analytics/measurements?${q}`, { token });
      expect(r.status, q).toBe(400);
      expect(r.body.detail, q).toMatch(detail);
    }
  });
});

describe('auth', () => {
  it('needs a signed-in user unless the dashboard is published, and is read-only either way', async () => {
    const q = `/api/analytics/measurements?parameter=pm25&from=${FROM}&to=${FROM}`;
    expect((await web.req('GET', q)).status).toBe(401);
    expect((await web.req('GET', q, { token: 'not-a-jwt' })).status).toBe(403);
    expect((await web.req('GET', '/api/analytics/stations')).status).toBe(401);
    expect((await web.req('GET', q, { token })).status).toBe(200);
    expect((await published.req('GET', q)).status).toBe(200);
    expect((await published.req('GET', '/api/analytics/stations')).status).toBe(200);
    expect((await published.req('POST', '/api/analytics/stations')).status).toBe(405);
    expect((await web.req('GET', '/api/analytics/events')).status).toBe(401);
  });

  it('the page wants a session, as the admin pages do, unless the dashboard is published', async () => {
    const anonymous = await fetch(`${web.url}/dashboard`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/dashboard')}`);
    const signIn = await fetch(`${web.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: web.url }, body: 'username=dash-viewer&password=dash-viewer-password&next=%2Fdashboard' });
    expect(signIn.headers.get('location')).toBe('/dashboard');
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const page = await fetch(`${web.url}/dashboard`, { redirect: 'manual', headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<aq-dashboard');
    // the page's data and its new-data events take the same cookie
    expect((await fetch(`${web.url}/api/analytics/stations`, { headers: { cookie } })).status).toBe(200);
    const published_ = await fetch(`${published.url}/dashboard`, { redirect: 'manual' });
    expect(published_.status).toBe(200);
    expect((await fetch(`${web.url}/dashboard/assets/dashboard.js`, { redirect: 'manual' })).status).toBe(200);
  });
});

describe('GET /api/analytics/daily and /stations', () => {
  it('streams the daily statistics, a verdict only for complete days', async () => {
    const res = await get(`/api/analytics/daily?parameter=no2&from=${FROM}&to=${TO}`);
    expect(res.status).toBe(200);
    const rows = [...arrow.tableFromIPC(await bytes(res))].map((r) => r!.toJSON() as Record<string, unknown>);
    const no2 = PARIS_STATIONS.flatMap((s) => s.sensors).filter((x) => x.parameter.name === 'no2');
    expect(rows.length).toBe(no2.length * 4);
    expect(Object.keys(rows[0]!)).toEqual(['date', 'sensor_id', 'location_id', 'valid_hours', 'mean', 'mda8', 'complete', 'exceeds_who']);
    expect(rows.every((r) => r.mda8 === null && (r.complete ? typeof r.exceeds_who === 'boolean' : r.exceeds_who === null))).toBe(true);
    expect(new Date(rows[0]!.date as number).toISOString().slice(0, 10)).toBe(FROM);
  });

  it('lists the stations with their sensors, parameters and span of valid data', async () => {
    const r = await web.req('GET', '/api/analytics/stations', { token });
    expect(r.status).toBe(200);
    const stations = r.body.stations as { id: number; name: string; latitude: number; longitude: number; sensors: { parameter: string }[]; first_time: string; last_time: string }[];
    expect(stations.map((s) => s.name).sort()).toEqual(PARIS_STATIONS.map((s) => s.name).sort());
    const halles = stations.find((s) => s.name === 'PARIS 1er Les Halles')!;
    expect(halles.latitude).toBeCloseTo(48.86212, 5);
    expect(halles.longitude).toBeCloseTo(2.344616, 5);
    expect(halles.sensors.map((s) => s.parameter).sort()).toEqual(['no2', 'o3', 'pm10', 'pm25']);
    expect(halles.first_time >= '2024-04-28T22:00:00.000Z' && halles.last_time <= '2024-05-02T22:00:00.000Z').toBe(true);
  });
});

/** Reads an SSE response until `pattern` matches what arrived; returns it. */
async function readUntil(res: Response, pattern: RegExp): Promise<string> {
  const events = res.body!.getReader();
  const dec = new TextDecoder();
  let text = '';
  while (!pattern.test(text)) {
    const { value, done } = await events.read();
    if (done) break;
    text += dec.decode(value);
  }
  await events.cancel();
  return text;
}

describe('new data', () => {
  it('a load_star run in another process (`dag run openaq`, simulator) is told on /api/windsock/events and /api/analytics/events', async () => {
    const ctrl = new AbortController();
    const [all, dash] = await Promise.all([
      fetch(`${web.url}/api/windsock/events?dag_id=openaq`, { headers: { authorization: `Bearer ${token}` }, signal: ctrl.signal }),
      // the dashboard's own stream, public with the dashboard
      fetch(`${published.url}/api/analytics/events`, { signal: ctrl.signal }),
    ]);
    expect(dash.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const heard = Promise.all([readUntil(all, /event: warehouse\n/), readUntil(dash, /event: warehouse\n/)]);
    await runOpenaq(ws, '2024-05-20');
    const [text, dashText] = await heard;
    ctrl.abort();
    const data = JSON.parse(/event: warehouse\ndata: (.*)\n/.exec(text)![1]!);
    expect(data).toMatchObject({ dag_id: 'openaq', task_id: 'load_star' });
    // the published stream says when, and nothing about DAGs or runs
    const load = JSON.parse(/event: warehouse\ndata: (.*)\n/.exec(dashText)![1]!);
    expect(Object.keys(load)).toEqual(['at']);
    expect(Date.parse(load.at)).toBeGreaterThan(Date.now() - 120_000);
    expect(dashText).not.toMatch(/dag_id|run_id|event: task_instance/);
    // and the day is there for the dashboard
    const day = await get('/api/analytics/measurements?parameter=pm25&from=2024-05-20&to=2024-05-20');
    expect(arrow.tableFromIPC(await bytes(day)).numRows).toBeGreaterThan(0);
  }, 120_000);
});
