// The DAG list answered from memory until the state database changes: a change committed by another connection
// (a scheduler, the CLI) or through the API itself shows in the next answer; roles and queries are kept apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspace, type Workspace } from '../support/cli.js';
import { startWebApp, type WebApp } from '../support/web.js';
import { seedWebState } from '../support/web-state.js';
import { Store } from '../../engine/state/store.js';
import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { acceptsGzip } from '../../ui/server/response-cache.js';

let ws: Workspace;
let web: WebApp;
let token: string;
beforeAll(async () => {
  ws = workspace();
  web = await startWebApp(ws, { WINDSOCK_WEB_LOGIN_RATE: '1000' });
  seedWebState(web.store, ws.dags);
  token = await web.userToken('user');
});
afterAll(() => web?.close());

const paused = async (q = '') => {
  const r = await web.req('GET', `/api/v2/dags${q}`, { token });
  expect(r.status).toBe(200);
  return Object.fromEntries(r.body.dags.map((d: { dag_id: string; is_paused: boolean }) => [d.dag_id, d.is_paused]));
};

describe('GET /api/v2/dags from memory', () => {
  it('shows a pause committed by another connection, and one made through the API, in the next answer', async () => {
    expect(await paused()).toEqual({ daily: false, etl: false, report: false });
    expect(await paused()).toEqual({ daily: false, etl: false, report: false });
    const other = Store.open(ws.home);
    try {
      other.tx(() => other.dags.setPaused('etl', true));
    } finally {
      other.close();
    }
    expect(await paused()).toEqual({ daily: false, etl: true, report: false });
    expect((await web.req('PATCH', '/api/v2/dags/report', { token, json: { is_paused: true } })).status).toBe(200);
    expect(await paused()).toEqual({ daily: false, etl: true, report: true });
    web.store.dags.setPaused('daily', true); // the server's own connection, outside the API
    expect(await paused()).toEqual({ daily: true, etl: true, report: true });
  });

  it('keeps queries apart and never answers an unauthenticated request from memory', async () => {
    expect(Object.keys(await paused('?dag_id_pattern=rep'))).toEqual(['report']);
    expect(Object.keys(await paused())).toHaveLength(3);
    expect((await web.req('GET', '/api/v2/dags')).status).toBe(401);
  });
});

/** GET with exactly these headers (fetch would add its own Accept-Encoding and decode the answer). */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(web.url + path, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('GET /api/v2/dags from memory, compressed', () => {
  it('answers gzip to a client that accepts it and plain JSON to one that does not, the same DAGs either way', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const first = await rawGet('/api/v2/dags', auth); // fills the memory
    const plain = await rawGet('/api/v2/dags', auth);
    const gz = await rawGet('/api/v2/dags', { ...auth, 'accept-encoding': 'br, gzip;q=0.8' });
    const refused = await rawGet('/api/v2/dags', { ...auth, 'accept-encoding': 'gzip;q=0, deflate' });
    for (const r of [first, plain, gz, refused]) expect(r.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toMatch(/accept-encoding/i);
    expect(gz.body.length).toBeLessThan(plain.body.length);
    const dags = (b: Buffer) => JSON.parse(b.toString('utf8')).dags.map((d: { dag_id: string }) => d.dag_id);
    expect(dags(gunzipSync(gz.body))).toEqual(dags(plain.body));
    expect(dags(plain.body)).toEqual(dags(first.body));
    expect(dags(first.body).length).toBeGreaterThan(0);
  });

  it('reads Accept-Encoding as RFC 9110 does', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('x-gzip')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
