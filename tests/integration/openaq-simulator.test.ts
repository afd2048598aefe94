// The offline simulator speaks OpenAQ v3 as the real API does: shapes, paging and `found`, filters, the hours
// window (from exclusive, to inclusive on period ends), errors, rate-limit headers and injected faults.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocationsPage, MeasurementsPage, ParametersPage, SensorsPage } from '../../tasks/openaq/shapes.js';
import { ensureOpenAQ } from '../../tasks/openaq/ensure.js';
import { requestOutcomes } from '../support/request-outcomes.js';
import { SENSORS, STATIONS, hasHourlyValue, simulatedHourlyValue, startSimulator, type Simulator } from '../../tasks/openaq/simulator/index.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

async function get(path: string, headers: Record<string, string> = {}, on = () => sim) {
  const res = await fetch(on().url + path, { headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

const DAY = { from: '2024-04-19T22:00:00Z', to: '2024-04-20T22:00:00Z' };
const HOUR = 3_600_000;

describe('/v3/locations', () => {
  it('serves the 29 Île-de-France stations in the default bbox, with the real shape', async () => {
    const { status, body } = await get('/v3/locations?bbox=1.4462,48.1201,3.5592,49.2415&limit=1000');
    expect(status).toBe(200);
    const page = LocationsPage.parse(body);
    expect(page.results).toHaveLength(29);
    expect(page.meta).toEqual({ name: 'openaq-api', website: '/', page: 1, limit: 1000, found: 29 });
    const halles = page.results.find((l) => l.name === 'PARIS 1er Les Halles')!;
    expect(halles).toMatchObject({ timezone: 'Europe/Paris', country: { id: 22, code: 'FR' }, isMobile: false, distance: null });
    expect(halles.sensors.map((s) => s.parameter.name).sort()).toEqual(['no2', 'o3', 'pm10', 'pm25']);
    expect(halles.bounds).toEqual([halles.coordinates.longitude, halles.coordinates.latitude, halles.coordinates.longitude, halles.coordinates.latitude]);
    expect(Object.keys(halles)).toEqual(['id', 'name', 'locality', 'timezone', 'country', 'owner', 'provider', 'isMobile', 'isMonitor', 'instruments', 'sensors', 'coordinates', 'licenses', 'bounds', 'distance', 'datetimeFirst', 'datetimeLast']);
  });

  it('pages with the real `found`: ">limit" on a full page, else the rows on the page', async () => {
    const pages = [];
    for (let p = 1; p <= 4; p++) pages.push(LocationsPage.parse((await get(`/v3/locations?limit=10&page=${p}`)).body));
    expect(pages.map((p) => [p.meta.found, p.results.length])).toEqual([['>10', 10], ['>10', 10], [9, 9], [0, 0]]);
    expect(new Set(pages.flatMap((p) => p.results.map((l) => l.id))).size).toBe(29);
  });

  it('filters by bbox, by coordinates and radius (with distance), and by parameters_id', async () => {
    const inner = LocationsPage.parse((await get('/v3/locations?bbox=2.30,48.85,2.36,48.88')).body).results;
    expect(inner.length).toBeGreaterThan(0);
    expect(inner.length).toBeLessThan(29);
    for (const l of inner) expect(l.coordinates.longitude! >= 2.3 && l.coordinates.latitude! <= 48.88).toBe(true);

    const near = LocationsPage.parse((await get('/v3/locations?coordinates=48.8621,2.3446&radius=3000')).body).results;
    expect(near.map((l) => l.name)).toContain('PARIS 1er Les Halles');
    for (const l of near) expect(l.distance).toBeLessThanOrEqual(3000);
    expect(near.find((l) => l.name === 'PARIS 1er Les Halles')!.distance).toBeLessThan(10);

    const o3 = LocationsPage.parse((await get('/v3/locations?parameters_id=3')).body).results;
    expect(o3.map((l) => l.name).sort()).toEqual(STATIONS.filter((s) => s.parameters.includes('o3')).map((s) => s.name).sort());
    expect((await get('/v3/locations?iso=US')).body.results).toEqual([]);
  });

  it('serves one location and its sensors', async () => {
    const one = LocationsPage.parse((await get('/v3/locations/4018')).body);
    expect(one.results[0].name).toBe('PARIS 1er Les Halles');
    const sensors = SensorsPage.parse((await get('/v3/locations/4018/sensors')).body);
    expect(sensors.results.map((s) => s.id).sort()).toEqual([40181, 40182, 40183, 40185]);
    expect(SensorsPage.parse((await get('/v3/sensors/40185')).body).results[0].parameter).toEqual({ id: 5, name: 'no2', units: 'µg/m³', displayName: 'NO₂ mass' });
  });
});

describe('/v3/sensors/{id}/hours and /measurements', () => {
  it('returns the hours whose period END is in (datetime_from, datetime_to], oldest first, with the simulated values', async () => {
    const page = MeasurementsPage.parse((await get(`/v3/sensors/40185/hours?datetime_from=${DAY.from}&datetime_to=${DAY.to}&limit=1000`)).body);
    const start = Date.parse(DAY.from);
    const expected = Array.from({ length: 24 }, (_, i) => start + (i + 1) * HOUR).filter((t) => hasHourlyValue(40185, t));
    expect(page.results.map((m) => Date.parse(m.period.datetimeTo.utc))).toEqual(expected);
    expect(page.meta.found).toBe(expected.length);
    for (const m of page.results) {
      expect(m.value).toBe(simulatedHourlyValue(40185, m.period.datetimeTo.utc));
      expect(Date.parse(m.period.datetimeTo.utc) - Date.parse(m.period.datetimeFrom.utc)).toBe(HOUR);
      expect(m.period).toMatchObject({ label: '1hour', interval: '01:00:00' });
    }
    expect(page.results[0].period.datetimeTo.local).toBe('2024-04-20T01:00:00+02:00');
  });

  it('reads naive datetimes in the station time zone', async () => {
    const naive = (await get('/v3/sensors/40185/hours?datetime_from=2024-04-20T00:00:00&datetime_to=2024-04-21T00:00:00&limit=1000')).body;
    const utc = (await get(`/v3/sensors/40185/hours?datetime_from=${DAY.from}&datetime_to=${DAY.to}&limit=1000`)).body;
    expect(naive.results).toEqual(utc.results);
  });

  it('pages through long ranges, and serves raw measurements', async () => {
    const q = 'datetime_from=2024-04-01T00:00:00Z&datetime_to=2024-04-04T00:00:00Z';
    const all = MeasurementsPage.parse((await get(`/v3/sensors/40182/hours?${q}&limit=1000`)).body).results;
    const paged = [];
    for (let p = 1; ; p++) {
      const page = MeasurementsPage.parse((await get(`/v3/sensors/40182/hours?${q}&limit=25&page=${p}`)).body);
      paged.push(...page.results);
      expect(page.meta.found).toBe(page.results.length === 25 ? '>25' : page.results.length);
      if (page.results.length < 25) break;
    }
    expect(paged).toEqual(all);
    const raw = MeasurementsPage.parse((await get(`/v3/sensors/40182/measurements?${q}&limit=1000`)).body).results;
    expect(raw.map((m) => m.value)).toEqual(all.map((m) => m.value));
    expect(raw[0].period.label).toBe('raw');
  });
});

describe('/v3/parameters', () => {
  it('lists the parameters with an exact total', async () => {
    const page = ParametersPage.parse((await get('/v3/parameters?limit=1000')).body);
    expect(page.results.find((p) => p.id === 5)).toMatchObject({ name: 'no2', units: 'µg/m³' });
    expect(page.meta.found).toBe(page.results.length);
    expect(ParametersPage.parse((await get('/v3/parameters?limit=2')).body).meta.found).toBe(page.results.length);
  });
});

describe('errors', () => {
  it('answers 410 for v1 and v2, 404 for unknown things and 422 for bad queries', async () => {
    expect(await get('/v2/measurements?coordinates=48.86,2.34')).toMatchObject({ status: 410, body: { message: expect.stringMatching(/^Gone\. Version 1 and Version 2/) } });
    expect(await get('/v3/sensors/1/hours')).toMatchObject({ status: 404, body: { detail: 'Sensor not found' } });
    expect(await get('/v3/locations/99')).toMatchObject({ status: 404, body: { detail: 'Location not found' } });
    expect(await get('/v3/cities')).toMatchObject({ status: 404 });
    const limit = await get('/v3/locations?limit=1001');
    expect(limit).toMatchObject({ status: 422, body: { detail: [{ loc: ['query', 'limit'], msg: 'Input should be less than or equal to 1000' }] } });
    expect(await get('/v3/locations?coordinates=48.86,2.34')).toMatchObject({ status: 422 });
    expect(await get('/v3/locations?bbox=3,48,1,49')).toMatchObject({ status: 422 });
    expect(await get('/v3/locations?coordinates=48.86,2.34&radius=30000')).toMatchObject({ status: 422 });
    expect(await get(`/v3/sensors/40185/hours?datetime_from=${DAY.to}&datetime_to=${DAY.from}`)).toMatchObject({ status: 422, body: 'datetime_to must be greater than datetime_from' });
  });

  it('asks for the key when one is configured', async () => {
    const locked = await startSimulator({ apiKey: 'sekret' });
    try {
      expect(await get('/v3/parameters', {}, () => locked)).toMatchObject({ status: 401, body: { message: expect.stringMatching(/X-API-Key/) } });
      expect(await get('/v3/parameters', { 'X-API-Key': 'wrong' }, () => locked)).toMatchObject({ status: 401, body: { detail: 'Invalid credentials' } });
      expect((await get('/v3/parameters', { 'X-API-Key': 'sekret' }, () => locked)).status).toBe(200);
    } finally {
      await locked.close();
    }
  });
});

describe('rate limit', () => {
  it('counts per key in fixed windows, sends the x-ratelimit headers, and answers 429 past the limit', async () => {
    const limited = await startSimulator({ rateLimitPerMinute: 3, rateWindowMs: 60_000 });
    try {
      // Stay within one clock minute: start right after a boundary if the current minute is nearly over.
      const left = 60_000 - (Date.now() % 60_000);
      if (left < 5000) await new Promise((r) => setTimeout(r, left + 10));
      const replies = [];
      for (let i = 0; i < 4; i++) replies.push(await get('/v3/parameters', { 'X-API-Key': 'a' }, () => limited));
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(replies.map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
      expect(replies.map((r) => r.headers.get('x-ratelimit-used'))).toEqual(['1', '2', '3', '4']);
      expect(replies[3].body).toEqual({ detail: 'Too many requests' });
      const reset = Number(replies[3].headers.get('x-ratelimit-reset'));
      expect(reset).toBeGreaterThanOrEqual(1);
      expect(reset).toBeLessThanOrEqual(60);
      expect((await get('/v3/parameters', { 'X-API-Key': 'b' }, () => limited)).status).toBe(200);
      expect(limited.stats().status429).toBe(1);
      expect([...limited.stats().perMinute.values()].reduce((a, b) => a + b, 0)).toBe(5);
    } finally {
      await limited.close();
    }
  });
});

describe('faults', () => {
  const url = `/v3/sensors/40185/hours?datetime_from=${DAY.from}&datetime_to=${DAY.to}&limit=1000&page=1`;

  async function statuses(s: Simulator, n: number): Promise<string[]> {
    const out = [];
    for (let i = 0; i < n; i++) {
      try {
        const res = await fetch(s.url + url);
        const text = await res.text();
        out.push(res.status !== 200 ? String(res.status) : (() => {
          try {
            JSON.parse(text);
            return 'ok';
          } catch {
            return 'malformed';
          }
        })());
      } catch {
        out.push('cut');
      }
    }
    return out;
  }

  it('injects the same faults for the same seed, and every kind of them', async () => {
    const faults = { rate429: 0.2, rate5xx: 0.2, rateTruncated: 0.2, rateMalformed: 0.2, seed: 7 };
    const [a, b] = await Promise.all([startSimulator({ faults }), startSimulator({ faults })]);
    try {
      const [sa, sb] = [await statuses(a, 40), await statuses(b, 40)];
      expect(sa).toEqual(sb);
      for (const kind of ['ok', '429', 'cut', 'malformed']) expect(sa).toContain(kind);
      expect(sa.some((s) => s.startsWith('5'))).toBe(true);
      expect(a.stats().faults).toBe(sa.filter((s) => s !== 'ok').length);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('faults after another Hono server started in the process', () => {
  it('cuts connections without writing anything after the cut (nothing on stderr), the same faults as alone', async () => {
    const child = path.join(path.dirname(fileURLToPath(import.meta.url)), '../support/simulator-after-hono.js');
    const faults = { rateTruncated: 0.5, seed: 7 };
    const url = `/v3/sensors/40185/hours?datetime_from=${DAY.from}&datetime_to=${DAY.to}&limit=1000&page=1`;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [child, JSON.stringify(faults), url, '20']);
    expect(stderr).toBe('');
    const outcomes = JSON.parse(stdout) as string[];
    const alone = await startSimulator({ faults });
    try {
      const expected = await requestOutcomes(alone.url + url, 20);
      expect(outcomes).toEqual(expected);
      expect(outcomes).toContain('cut');
      expect(outcomes).toContain('200');
    } finally {
      await alone.close();
    }
  });
});

describe('the catalogue behind the endpoints', () => {
  it('gives every sensor a stable id derived from its station and parameter', () => {
    for (const s of SENSORS.values()) expect(s.id).toBe(s.locationId * 10 + s.parameterId);
  });
});

describe('ensureOpenAQ', () => {
  it('starts the simulator when no key is set, points OPENAQ_BASE_URL at it, and undoes that on close', async () => {
    const env: NodeJS.ProcessEnv = {};
    const svc = await ensureOpenAQ(env);
    try {
      expect(svc.simulated).toBe(true);
      expect(env).toEqual({ OPENAQ_BASE_URL: svc.baseUrl, OPENAQ_RATE_LIMIT_PER_MINUTE: '0', OPENAQ_RATE_LIMIT_PER_HOUR: '0' });
      expect(svc.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${svc.baseUrl}/v3/locations/4018`)).status).toBe(200);
    } finally {
      await svc.close();
    }
    expect(env).toEqual({});
  });

  it('uses the real API when a key is set, and a base URL someone set on purpose', async () => {
    expect(await ensureOpenAQ({ OPENAQ_API_KEY: 'k' })).toMatchObject({ baseUrl: 'https://api.openaq.org', simulated: false });
    expect(await ensureOpenAQ({ OPENAQ_BASE_URL: 'http://127.0.0.1:9/' })).toMatchObject({ baseUrl: 'http://127.0.0.1:9', simulated: false });
  });
});
