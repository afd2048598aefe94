import { describe, expect, it } from 'vitest';
import { apiDetail, statusError } from '../../../tasks/openaq/errors.js';
import { backoffMs, isRetryable } from '../../../tasks/openaq/retry-policy.js';

describe('isRetryable', () => {
  it('retries 408, 429, 5xx, timeouts, connection errors and unreadable bodies', () => {
    for (const status of [408, 429, 500, 502, 503, 504]) expect(isRetryable({ kind: 'status', status })).toBe(true);
    expect(isRetryable({ kind: 'timeout' })).toBe(true);
    expect(isRetryable({ kind: 'network', message: 'ECONNRESET' })).toBe(true);
    expect(isRetryable({ kind: 'bad_json', message: 'Unexpected end of JSON input' })).toBe(true);
  });
  it('does not retry what cannot get better', () => {
    for (const status of [400, 401, 403, 404, 405, 410, 422]) expect(isRetryable({ kind: 'status', status })).toBe(false);
  });
});

describe('backoffMs', () => {
  const b = { baseMs: 500, maxMs: 8000 };
  it('doubles per attempt with jitter in the upper half, capped', () => {
    expect(backoffMs(1, b, () => 0)).toBe(250);
    expect(backoffMs(1, b, () => 0.999)).toBe(500);
    expect(backoffMs(3, b, () => 0)).toBe(1000);
    expect(backoffMs(10, b, () => 1)).toBe(8000);
  });
  it('spreads clients that failed together', () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoffMs(4, b)));
    expect(delays.size).toBeGreaterThan(5);
  });
});

describe('statusError', () => {
  const url = 'https://api.openaq.org/v3/locations?bbox=1,2,3,4&limit=1000&page=1';
  it('says the key was rejected, with the URL, and never the key', () => {
    const e = statusError(401, url, '{"detail":"Invalid credentials"}', true);
    expect(e.message).toBe(`OPENAQ_API_KEY was rejected by ${url} (401): check the key`);
    expect(e.fatal).toBe(true);
  });
  it('asks for a key when none was sent', () => {
    expect(statusError(401, url, '{"message":"Unauthorized."}', false).message).toMatch(/requires an API key \(401\): set OPENAQ_API_KEY/);
  });
  it('explains 410 as the retired v1/v2', () => {
    expect(statusError(410, 'https://api.openaq.org/v2/measurements', '{}', true).message).toMatch(/v1 and v2 are retired; use the v3 endpoints/);
  });
  it("prints the API's detail on 422", () => {
    const body = '{"detail":[{"type":"less_than_equal","loc":["query","limit"],"msg":"Input should be less than or equal to 1000","input":"5000"}]}';
    expect(statusError(422, url, body, true).message).toBe(`OpenAQ rejected ${url} (422): limit: Input should be less than or equal to 1000`);
  });
});

describe('apiDetail', () => {
  it('reads FastAPI strings, lists, the WAF message and plain text', () => {
    expect(apiDetail('"datetime_to must be greater than datetime_from"')).toBe('datetime_to must be greater than datetime_from');
    expect(apiDetail('{"detail":"Sensor not found"}')).toBe('Sensor not found');
    expect(apiDetail('{"message":"Forbidden."}')).toBe('Forbidden.');
    expect(apiDetail('<html>\n  Bad Gateway\n</html>')).toBe('<html> Bad Gateway </html>');
    expect(apiDetail('')).toBe('(empty body)');
  });
});
