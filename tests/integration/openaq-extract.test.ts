// openaq.extract run through the operator harness against the simulator over real HTTP: what it stages, that faults
// change nothing in the result, resuming, starting clean, and the messages for bad input and a failing API.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FailTask } from '../../engine/operators/api.js';
import { extract, stagingDir, type ExtractSummary } from '../../tasks/openaq/extract.js';
import { operators } from '../../tasks/openaq/index.js';
import { RawManifest } from '../../tasks/openaq/raw-format.js';
import { sha256 } from '../../tasks/openaq/staging.js';
import { MeasurementsPage } from '../../tasks/openaq/shapes.js';
import { SENSORS, STATIONS, hasHourlyValue, simulatedHourlyValue, startSimulator, type Simulator } from '../../tasks/openaq/simulator/index.js';
import { openaqEnv, stagedFiles, timelessManifest } from '../support/openaq-env.js';
import { runOperator, settleOperator } from '../support/operator-harness.js';
import { tempDir } from '../support/tmp.js';

const DS = '2024-04-20';
const START = Date.parse('2024-04-19T22:00:00Z');
let sim: Simulator;
let restore: () => void;

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
afterEach(() => {
  sim.setFaults({});
  restore?.();
});

function home(): string {
  return path.join(tempDir(), 'home');
}

async function run(h: string, args: Record<string, unknown> = {}, dsLocal = DS) {
  return runOperator<ExtractSummary>(extract, args, { home: h, dsLocal, dagId: 'openaq', taskId: 'extract', runId: `scheduled__${dsLocal}` });
}

const expectedRows = [...SENSORS.keys()].reduce((n, id) => n + Array.from({ length: 24 }, (_, i) => START + (i + 1) * 3_600_000).filter((t) => hasHourlyValue(id, t)).length, 0);

describe('openaq.extract', () => {
  it('is exported as a plugin operator', () => {
    expect(operators.map((o) => o.name)).toEqual(['openaq.extract']);
  });

  it('stages one local day of Île-de-France byte for byte, with a manifest, and returns a summary', async () => {
    restore = openaqEnv(sim.url);
    const h = home();
    const { result, logs } = await run(h);
    const dir = stagingDir(h, DS);
    expect(result).toMatchObject({ ds: DS, locations: 29, sensors: 62, pages: 64, pages_reused: 0, rows: expectedRows, requests: 64, retries: 0, staged_dir: dir });
    expect(result.rate_limit_wait_seconds).toBe(0);
    expect(logs.map((l) => l.msg)).toContain('29 location(s), 62 sensor(s) of pm25, pm10, no2, o3 in {"bbox":"1.4462,48.1201,3.5592,49.2415"}');

    const manifest = RawManifest.parse(JSON.parse(fs.readFileSync(path.join(dir, '_manifest.json'), 'utf8')));
    expect(manifest).toMatchObject({ dag_id: 'openaq', run_id: `scheduled__${DS}`, ds: DS, base_url: sim.url, region: { bbox: '1.4462,48.1201,3.5592,49.2415' }, parameters_id: [1, 2, 3, 5] });
    expect(manifest.data_interval_start).toBe('2024-04-19T22:00:00+00:00');
    const files = stagedFiles(dir);
    expect([...files.keys()].filter((f) => f !== '_manifest.json')).toEqual(manifest.pages.map((p) => p.path));
    for (const p of manifest.pages) {
      expect(sha256(files.get(p.path)!)).toBe(p.sha256);
      expect(p.bytes).toBe(files.get(p.path)!.length);
    }
    expect(manifest.pages.find((p) => p.path === 'sensors/40185/hours/page-0001.json')).toMatchObject({
      endpoint: 'sensor_hours',
      sensor_id: 40185,
      location_id: 4018,
      url: `${sim.url}/v3/sensors/40185/hours?datetime_from=2024-04-19T22:00:00Z&datetime_to=2024-04-20T22:00:00Z&limit=1000&page=1`,
    });
    expect(manifest.pages.find((p) => p.endpoint === 'locations')!.url).toBe(`${sim.url}/v3/locations?bbox=1.4462,48.1201,3.5592,49.2415&parameters_id=1,2,3,5&limit=1000&page=1`);

    // The staged hours are exactly the local day's, with the simulator's values.
    for (const p of manifest.pages.filter((x) => x.endpoint === 'sensor_hours')) {
      const body = MeasurementsPage.parse(JSON.parse(files.get(p.path)!.toString('utf8')));
      expect(body.results.length).toBe(p.rows);
      for (const m of body.results) {
        const end = Date.parse(m.period.datetimeTo.utc);
        expect(end > START && end <= START + 86_400_000).toBe(true);
        expect(m.value).toBe(simulatedHourlyValue(p.sensor_id!, end));
      }
    }
  });

  it('stages exactly the same data when a third of the requests fail (429, 5xx, cut or garbled bodies)', async () => {
    restore = openaqEnv(sim.url, { OPENAQ_MAX_ATTEMPTS: '25' });
    const clean = home();
    await run(clean);
    sim.setFaults({ rate429: 0.17, rate5xx: 0.17, rateTruncated: 0.06, rateMalformed: 0.04, seed: 11 });
    const faulty = home();
    const { result, logs } = await run(faulty);
    expect(result.retries).toBeGreaterThan(20);
    expect(logs.some((l) => l.level === 'warn' && /^HTTP 429 from .*: retrying in/.test(l.msg))).toBe(true);
    const [a, b] = [stagedFiles(stagingDir(clean, DS)), stagedFiles(stagingDir(faulty, DS))];
    a.delete('_manifest.json');
    b.delete('_manifest.json');
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [k, v] of a) expect(b.get(k)!.equals(v), k).toBe(true);
    expect(timelessManifest(stagingDir(faulty, DS))).toEqual(timelessManifest(stagingDir(clean, DS)));
  });

  it('fails with the last status and URL when the API stays down, then resumes without refetching what it staged', async () => {
    restore = openaqEnv(sim.url, { OPENAQ_MAX_ATTEMPTS: '2' });
    const h = home();
    sim.setFaults({ rate5xx: 0.3, seed: 5 });
    const first = await settleOperator<ExtractSummary>(extract, {}, { home: h, dsLocal: DS });
    expect(first.error).toBeDefined();
    expect(first.error).not.toBeInstanceOf(FailTask);
    expect(first.error!.message).toMatch(new RegExp(`^OpenAQ API unavailable: HTTP 50[023] from ${sim.url.replace(/\./g, '\\.')}/v3/\\S+ \\(gave up after 2 attempts\\); \\d+ page\\(s\\) are staged and the next attempt resumes from there$`));
    const journal = fs.readFileSync(path.join(stagingDir(h, DS), '_progress.jsonl'), 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l) as { url: string; path: string });
    expect(journal.length).toBeGreaterThan(0);

    // One staged page is damaged on disk: it alone is fetched again.
    const damaged = journal[journal.length - 1];
    fs.writeFileSync(path.join(stagingDir(h, DS), damaged.path), '{"meta":{}}');
    sim.setFaults({});
    const before = new Map(sim.stats().byPath);
    const { result } = await run(h);
    expect(result.pages).toBe(64);
    expect(result.pages_reused).toBe(journal.length - 1);
    const target = (url: string) => url.slice(sim.url.length);
    for (const j of journal) {
      const again = (sim.stats().byPath.get(target(j.url)) ?? 0) - (before.get(target(j.url)) ?? 0);
      expect(again, j.url).toBe(j === damaged ? 1 : 0);
    }
    const fresh = home();
    await run(fresh);
    expect(timelessManifest(stagingDir(h, DS))).toEqual(timelessManifest(stagingDir(fresh, DS)));
  });

  it('starts clean when the region or parameters change, or when the previous extract had finished', async () => {
    restore = openaqEnv(sim.url, { OPENAQ_MAX_ATTEMPTS: '2' });
    const h = home();
    sim.setFaults({ rate5xx: 0.3, seed: 5 });
    expect((await settleOperator(extract, {}, { home: h, dsLocal: DS })).error).toBeDefined();
    sim.setFaults({});
    const { result, logs } = await run(h, { parameters: ['o3'], bbox: '2.0,48.6,2.7,49.0' });
    expect(logs.some((l) => /^starting clean in .*: the staged pages were fetched with other arguments/.test(l.msg))).toBe(true);
    const inBox = STATIONS.filter((s) => s.parameters.includes('o3') && s.longitude >= 2 && s.longitude <= 2.7 && s.latitude >= 48.6 && s.latitude <= 49);
    expect(result).toMatchObject({ pages_reused: 0, locations: inBox.length, sensors: inBox.length });
    const manifest = RawManifest.parse(JSON.parse(fs.readFileSync(path.join(stagingDir(h, DS), '_manifest.json'), 'utf8')));
    expect(manifest.parameters_id).toEqual([3]);
    expect(fs.readdirSync(path.join(stagingDir(h, DS), 'sensors')).every((id) => id.endsWith('3'))).toBe(true);

    const again = await run(h, { parameters: ['o3'], bbox: '2.0,48.6,2.7,49.0' });
    expect(again.logs.some((l) => /the previous extract of this day had finished; fetching a fresh copy/.test(l.msg))).toBe(true);
    expect(again.result.pages_reused).toBe(0);
  });

  it('extracts by coordinates and radius', async () => {
    restore = openaqEnv(sim.url);
    const { result } = await run(home(), { coordinates: '48.8621,2.3446', radius: 5000, parameters: ['no2'] });
    expect(result.locations).toBeGreaterThan(3);
    expect(result.locations).toBeLessThan(29);
    expect(result.sensors).toBe(result.locations);
  });
});

describe('openaq.extract bad input', () => {
  async function message(args: Record<string, unknown>, opts: { dsLocal?: string } = {}): Promise<string> {
    restore = openaqEnv(sim.url);
    const h = home();
    const r = await settleOperator(extract, args, { home: h, ...opts });
    expect(r.error).toBeDefined();
    return r.error!.message;
  }

  it('rejects an unknown parameter naming the argument and the valid names, when the DAG is loaded', async () => {
    restore = openaqEnv(sim.url);
    const r = await settleOperator(extract, { parameters: ['pm2.5'] }, { home: home() });
    expect((r.error as unknown as { issues: unknown[] }).issues).toEqual([
      expect.objectContaining({ path: ['parameters'], message: 'parameters: unknown parameter "pm2.5"; valid names: bc, co, no, no2, nox, o3, pm1, pm10, pm25, pm4, so2' }),
    ]);
    const { buildContext } = await import('../support/operator-harness.js');
    const err = await Promise.resolve(extract.execute({ parameters: ['pm2.5', 'no2'] }, buildContext({ home: home() }).ctx)).then(() => undefined, (e: Error) => e);
    expect(err).toBeInstanceOf(FailTask);
    expect(err!.message).toMatch(/^openaq\.extract: parameters: unknown parameter "pm2\.5"; valid names: /);
  });

  it('fails the task without retries when rendered arguments are wrong', async () => {
    restore = openaqEnv(sim.url);
    const h = { home: home(), dsLocal: DS };
    const { buildContext } = await import('../support/operator-harness.js');
    for (const [args, text] of [
      [{ bbox: '3.5,48.1,1.4,49.2' }, 'openaq.extract: bbox: minLon 3.5 is greater than maxLon 1.4 (bbox is minLon,minLat,maxLon,maxLat)'],
      [{ bbox: null }, 'openaq.extract: no region: set bbox ("minLon,minLat,maxLon,maxLat") or coordinates ("lat,lon") with radius (metres)'],
      [{ coordinates: '48.86,2.34', radius: 40000 }, 'openaq.extract: radius 40000 is out of range: more than 0 and at most 25000 metres'],
    ] as const) {
      const err = await Promise.resolve(extract.execute(args as never, buildContext(h).ctx)).then(() => undefined, (e: Error) => e);
      expect(err).toBeInstanceOf(FailTask);
      expect(err!.message).toBe(text);
    }
    expect(sim.stats().byPath.size).toBeGreaterThan(0);
  });

  it('refuses a day in the future', async () => {
    const before = sim.stats().requests;
    const err = await message({}, { dsLocal: '2099-01-01' });
    expect(err).toBe('--date 2099-01-01 is in the future: OpenAQ has no data yet');
    expect(sim.stats().requests).toBe(before);
  });

  it('fails at once on a rejected key, without printing it', async () => {
    const locked = await startSimulator({ apiKey: 'the-right-key' });
    try {
      restore = openaqEnv(locked.url, { OPENAQ_API_KEY: 'a-wrong-key-4567' });
      const r = await settleOperator(extract, {}, { home: home(), dsLocal: DS });
      expect(r.error).toBeInstanceOf(FailTask);
      expect(r.error!.message).toBe(`OPENAQ_API_KEY was rejected by ${locked.url}/v3/parameters?limit=1000&page=1 (401): check the key`);
      expect(JSON.stringify(r.logs)).not.toContain('a-wrong-key-4567');
      expect(locked.stats().requests).toBe(1);
    } finally {
      await locked.close();
    }
  });
});
