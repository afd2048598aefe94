// The OpenAQ client against the simulator over real HTTP: errors that must not be retried, retries that must be,
// the rate limiter measured by the server, paging, and aborts.
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAQClient, type ClientOptions } from '../../tasks/openaq/client.js';
import { OpenAQError } from '../../tasks/openaq/errors.js';
import { RateLimiter } from '../../tasks/openaq/rate-limiter.js';
import { LocationsPage, MeasurementsPage, ParametersPage } from '../../tasks/openaq/shapes.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../tasks/openaq/simulator/index.js';

const HOURS = '/v3/sensors/40185/hours?datetime_from=2024-04-19T22:00:00Z&datetime_to=2024-04-20T22:00:00Z&limit=1000&page=1';
const sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function sim(opts: SimulatorOptions = {}): Promise<Simulator> {
  const s = await startSimulator(opts);
  sims.push(s);
  return s;
}

function client(s: Simulator, opts: Partial<ClientOptions> = {}): OpenAQClient {
  return new OpenAQClient({ baseUrl: s.url, backoff: { baseMs: 5, maxMs: 40 }, maxAttempts: 4, ...opts });
}

async function failure(p: Promise<unknown>): Promise<OpenAQError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(OpenAQError);
  return err as OpenAQError;
}

describe('errors that retrying cannot fix fail at once', () => {
  it('401: says the key was rejected, with the URL, never the key', async () => {
    const s = await sim({ apiKey: 'right-key' });
    const err = await failure(client(s, { apiKey: 'wrong-key-123' }).get('/v3/parameters?limit=1000&page=1', ParametersPage));
    expect(err.message).toBe(`OPENAQ_API_KEY was rejected by ${s.url}/v3/parameters?limit=1000&page=1 (401): check the key`);
    expect(err.message).not.toContain('wrong-key-123');
    expect(err.fatal).toBe(true);
    expect(s.stats().requests).toBe(1);
  });

  it('401 without a key: asks for one', async () => {
    const s = await sim({ apiKey: 'right-key' });
    expect((await failure(client(s).get('/v3/parameters', ParametersPage))).message).toMatch(/requires an API key \(401\): set OPENAQ_API_KEY/);
  });

  it('410: v1 and v2 are retired', async () => {
    const s = await sim();
    const err = await failure(client(s).get('/v2/measurements?coordinates=48.86,2.34&radius=20000', ParametersPage));
    expect(err.message).toMatch(/answered 410 Gone: OpenAQ API v1 and v2 are retired; use the v3 endpoints/);
    expect(s.stats().requests).toBe(1);
  });

  it("422: prints the API's detail", async () => {
    const s = await sim();
    const err = await failure(client(s).get('/v3/locations?bbox=3.5,48.1,1.4,49.2', LocationsPage));
    expect(err.message).toBe(`OpenAQ rejected ${s.url}/v3/locations?bbox=3.5,48.1,1.4,49.2 (422): bbox: Value error, minimum values must not be greater than maximum values`);
    expect(s.stats().requests).toBe(1);
  });

  it('a body of the wrong shape: names the field', async () => {
    const s = await sim();
    const err = await failure(client(s).get('/v3/parameters?limit=5', LocationsPage));
    expect(err.kind).toBe('shape');
    expect(err.message).toMatch(/^unexpected response from .*\/v3\/parameters\?limit=5: results\.0\./);
  });
});

describe('retries', () => {
  it('gets through 429, 5xx, cut connections and malformed bodies, with the exact bytes of a clean answer', async () => {
    const clean = await client(await sim()).get(HOURS, MeasurementsPage);
    const s = await sim({ faults: { rate429: 0.2, rate5xx: 0.2, rateTruncated: 0.2, rateMalformed: 0.2, seed: 3 } });
    const c = client(s, { maxAttempts: 30 });
    const retries: string[] = [];
    for (let i = 0; i < 8; i++) {
      const got = await new OpenAQClient({ baseUrl: s.url, backoff: { baseMs: 1, maxMs: 5 }, maxAttempts: 30, onRetry: (r) => retries.push(r.outcome) }).get(`${HOURS}&i=${i}`, MeasurementsPage);
      expect(got.value.results).toEqual(clean.value.results);
    }
    const got = await c.get(HOURS, MeasurementsPage);
    expect(got.body.equals(clean.body)).toBe(true);
    expect(retries.some((r) => r === 'HTTP 429')).toBe(true);
    expect(retries.some((r) => /^HTTP 50[023]$/.test(r))).toBe(true);
    expect(retries.some((r) => r.startsWith('connection failed'))).toBe(true);
    expect(retries.some((r) => r.startsWith('unreadable JSON'))).toBe(true);
  });

  it('gives up after the last attempt with the last status and the URL', async () => {
    const s = await sim({ faults: { rate5xx: 1 } });
    const err = await failure(client(s, { maxAttempts: 3 }).get(HOURS, MeasurementsPage));
    expect(err.kind).toBe('unavailable');
    expect(err.message).toMatch(new RegExp(`^HTTP 50[023] from ${s.url.replace(/\./g, '\\.')}/v3/sensors/40185/hours\\?.* \\(gave up after 3 attempts\\)$`));
    expect(s.stats().requests).toBe(3);
  });

  it('times out slow responses and retries them', async () => {
    const s = await sim({ faults: { slowMs: 300 } });
    const err = await failure(client(s, { timeoutMs: 50, maxAttempts: 2 }).get('/v3/parameters', ParametersPage));
    expect(err.message).toMatch(/^timed out from .*\(gave up after 2 attempts\)$/);
  });

  it('stops waiting as soon as the attempt is aborted', async () => {
    const s = await sim({ faults: { rate5xx: 1 } });
    const ac = new AbortController();
    const c = client(s, { signal: ac.signal, backoff: { baseMs: 60_000, maxMs: 60_000 }, maxAttempts: 5, onRetry: () => ac.abort(new Error('attempt stopped')) });
    await expect(c.get('/v3/parameters', ParametersPage)).rejects.toThrow('attempt stopped');
    expect(s.stats().requests).toBe(1);
  });
});

describe('rate limit', () => {
  it('never sends more than the limit in any server window (10 per 1 s window, 35 requests, 4 in flight)', async () => {
    const s = await sim({ rateLimitPerMinute: 10, rateWindowMs: 1000 });
    const c = client(s, { concurrency: 4, limiter: new RateLimiter([{ limit: 10, windowMs: 1000 }]) });
    const got = await Promise.all(Array.from({ length: 35 }, (_, i) => c.get(`/v3/parameters?limit=${i + 1}`, ParametersPage)));
    expect(got.every((g) => g.status === 200)).toBe(true);
    expect(s.stats().status429).toBe(0);
    expect(Math.max(...s.stats().perMinute.values())).toBeLessThanOrEqual(10);
    expect(s.stats().requests).toBe(35);
    expect(c.rateLimitWaitSeconds).toBeGreaterThan(0);
  });

  it("waits for the server's reset when x-ratelimit-remaining reaches 0 instead of being refused", async () => {
    const s = await sim({ rateLimitPerMinute: 4, rateWindowMs: 1000 });
    const c = client(s, { concurrency: 1 });
    for (let i = 0; i < 9; i++) await c.get(`/v3/parameters?limit=${i + 1}`, ParametersPage);
    expect(s.stats().status429).toBe(0);
    expect(c.stats.retries).toBe(0);
    expect(Math.max(...s.stats().perMinute.values())).toBeLessThanOrEqual(4);
  });
});

describe('a key shared by two clients', () => {
  it('waits out the refusals without counting them as failed attempts, then follows the server headers', async () => {
    const s = await sim({ rateLimitPerMinute: 6, rateWindowMs: 1000 });
    const two = [0, 1].map(() => client(s, { apiKey: 'k', concurrency: 2, maxAttempts: 2, limiter: new RateLimiter([{ limit: 6, windowMs: 1000 }]) }));
    const got = await Promise.all(two.flatMap((c, j) => Array.from({ length: 8 }, (_, i) => c.get(`/v3/parameters?limit=${j * 10 + i + 1}`, ParametersPage))));
    expect(got.every((g) => g.status === 200)).toBe(true);
    expect(s.stats().status429).toBeGreaterThan(0);
    expect(s.stats().byStatus.get(200)).toBe(16);
  });
});

describe('paging', () => {
  it('pages until a short page', async () => {
    const s = await sim();
    const pages = [];
    for await (const p of client(s).pages('/v3/locations', { parameters_id: '5' }, LocationsPage, 10)) pages.push(p);
    expect(pages.map((p) => [p.page, p.value.results.length, p.value.meta.found])).toEqual([[1, 10, '>10'], [2, 10, '>10'], [3, 8, 8]]);
    expect(pages[0].url).toBe(`${s.url}/v3/locations?parameters_id=5&limit=10&page=1`);
  });

  it('fetches an empty page after an exactly full one', async () => {
    const s = await sim();
    const pages = [];
    for await (const p of client(s).pages('/v3/locations', { parameters_id: '3' }, LocationsPage, 5)) pages.push(p.value.results.length);
    expect(pages).toEqual([5, 5, 0]);
  });
});
