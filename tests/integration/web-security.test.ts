// The web server against the attacks in Airflow's security advisories, over real HTTP on every route the app serves
// (taken from the app's own route list, so a route added later is covered without touching this file): no access
// without credentials but on the public paths; a token refused after logout (CVE-2025-57735), when tampered with,
// unsigned, signed with another key, or expired; a viewer refused every write, bulk ones included (CVE-2025-62503);
// bodies capped; logins rate limited, HTTP Basic included; no stack trace, SQL, server path or secret in any error
// body; the secret and password files never served; CORS off unless configured.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, decodeJwt } from 'jose';
import { workspace, type Workspace } from '../support/cli.js';
import { startWebApp, TEST_SECRET, type Reply, type WebApp } from '../support/web.js';
import { SEEDED, seedWebState } from '../support/web-state.js';
import { createUser } from '../../engine/service/users.js';

/** What may answer without credentials (issue 9): health, version, the token endpoint. */
const PUBLIC = new Set(['GET /api/v2/monitor/health', 'GET /api/v2/version', 'GET /api/v1/health', 'POST /auth/token']);
/** The sign-in form, what every page loads before signing in, and the dashboard's shell (its data is not public). */
const PUBLIC_PAGES = new Set(['GET /login', 'POST /login', 'GET /assets/:name', 'GET /dashboard/assets/:file']);
/** Reads sent as POST (their filters do not fit a query string), which a viewer may make. */
const isPostedRead = (method: string, p: string) => method === 'POST' && p.endsWith('/list');

const SAMPLE: Record<string, string> = { dag_id: 'etl', dag_run_id: encodeURIComponent(SEEDED.manualRun), run_id: encodeURIComponent(SEEDED.manualRun), task_id: 'extract', map_index: '0', try_number: '1', task_try_number: '1' };
const concrete = (p: string) => p.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => SAMPLE[name] ?? 'x');

let ws: Workspace;
let web: WebApp;
let routes: { method: string; path: string }[];
let pages: { method: string; path: string }[];
const tokens: Record<string, string> = {};
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

beforeAll(async () => {
  ws = workspace();
  web = await startWebApp(ws, { WINDSOCK_WEB_LOGIN_RATE: '1000' });
  seedWebState(web.store, ws.dags);
  fs.writeFileSync(path.join(ws.home, 'admin_password.txt'), 'the-admin-password-on-disk\n', { mode: 0o600 });
  for (const role of ['viewer', 'user', 'op', 'admin'] as const) tokens[role] = await web.userToken(role);
  const seen = new Set<string>();
  const all = web.app.routes
    .filter((r) => r.method !== 'ALL' && !r.path.endsWith('*'))
    .map((r) => ({ method: r.method, path: r.path }))
    .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
  // The APIs answer bearer tokens with FastAPI's bodies; the pages answer the session cookie with redirects.
  const isApi = (r: { path: string }) => r.path.startsWith('/api/') || r.path.startsWith('/auth/');
  routes = all.filter(isApi);
  pages = all.filter((r) => !isApi(r));
});
afterAll(() => web?.close());

const send = (method: string, p: string, o: Parameters<WebApp['req']>[2] = {}) =>
  web.req(method, p, { ...o, json: o.json ?? (method === 'GET' || method === 'DELETE' || o.body !== undefined ? undefined : {}) });

describe('the route list', () => {
  it('covers API v1, API v2, auth and the change events', () => {
    const prefixes = new Set(routes.map((r) => r.path.split('/').slice(0, 3).join('/')));
    for (const p of ['/api/v1', '/api/v2', '/auth/token', '/api/windsock']) expect([...prefixes].some((x) => x.startsWith(p)), p).toBe(true);
    expect(routes.length).toBeGreaterThan(40);
  });
});

describe('without credentials', () => {
  it('every route but the public ones answers 401, and the public ones answer without', async () => {
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      const reply = await send(r.method, concrete(r.path));
      if (PUBLIC.has(key)) expect(reply.status, key).not.toBe(401);
      else {
        expect(reply.status, key).toBe(401);
        expect(reply.body?.detail, key).toBe('Not authenticated');
      }
    }
    // nothing public is left off the list above by accident
    for (const key of PUBLIC) expect(routes.some((r) => `${r.method} ${r.path}` === key), key).toBe(true);
  });

  it('every page but the sign-in form and the static assets sends to /login, and no post without a session changes anything', async () => {
    const before = web.store.db.prepare('SELECT (SELECT group_concat(is_paused) FROM dag) || (SELECT count(*) FROM dag_run) || (SELECT count(*) FROM log)').pluck().get();
    expect(pages.length).toBeGreaterThan(10);
    for (const r of pages) {
      const key = `${r.method} ${r.path}`;
      const res = await fetch(web.url + concrete(r.path), { method: r.method, redirect: 'manual', ...(r.method === 'GET' ? {} : { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'is_paused=true' }) });
      const body = await res.text();
      if (PUBLIC_PAGES.has(key)) expect(res.status, key).not.toBe(303);
      else if (r.method === 'GET') {
        expect(res.status, key).toBe(303);
        expect(res.headers.get('location'), key).toMatch(/^\/login\?next=/);
      } else expect([303, 401, 403], key).toContain(res.status);
      expect(body, key).not.toMatch(/\bat .*\.js:\d+|SqliteError|\/work\//);
    }
    expect(web.store.db.prepare('SELECT (SELECT group_concat(is_paused) FROM dag) || (SELECT count(*) FROM dag_run) || (SELECT count(*) FROM log)').pluck().get()).toBe(before);
  });
});

/** A token like `base` (a viewer's) changed one way. */
async function forgeries(base: string): Promise<Record<string, string>> {
  const [h, p, s] = base.split('.');
  const claims = decodeJwt(base);
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const key = new TextEncoder().encode(TEST_SECRET);
  const now = Math.floor(Date.now() / 1000);
  const sign = (k: Uint8Array, exp: number, iat = now) =>
    new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS512' }).setSubject('admin').setJti(`forged-${exp}`).setIssuedAt(iat).setNotBefore(iat).setExpirationTime(exp).sign(k);
  return {
    'payload changed to role admin': `${h}.${b64({ ...claims, sub: 'admin', role: 'admin' })}.${s}`,
    'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, sub: 'admin', role: 'admin' })}.`,
    'alg HS256 with the same secret': await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('admin').setJti('hs256').setIssuedAt().setExpirationTime('1h').sign(key),
    'signed with another key': await sign(new TextEncoder().encode('a-different-secret-entirely-0123456789'), now + 3600),
    'signature cut': `${h}.${p}.${s.slice(0, 20)}`,
    expired: await sign(key, now - 3600, now - 7200),
  };
}

describe('tokens', () => {
  it('refuses a token after logout, on v2, v1 and the change events, while a second session stays valid', async () => {
    const token = await web.login('viewer', 'viewer-password');
    for (const p of ['/api/v2/dags', '/api/v1/dags']) expect((await web.req('GET', p, { token })).status, p).toBe(200);
    expect((await web.req('POST', '/auth/logout', { token })).status).toBe(204);
    for (const p of ['/api/v2/dags', '/api/v1/dags', '/api/windsock/events']) {
      const r = await web.req('GET', p, { token });
      expect(r.status, p).toBe(403);
      expect(JSON.stringify(r.body), p).toContain('Invalid JWT token');
    }
    expect((await web.req('GET', '/api/v2/dags', { token: tokens.viewer })).status).toBe(200);
  });

  it('refuses tampered, unsigned, wrongly signed and expired tokens everywhere', async () => {
    for (const [what, bad] of Object.entries(await forgeries(tokens.viewer))) {
      for (const [method, p] of [['GET', '/api/v2/dags'], ['PATCH', '/api/v2/dags/etl'], ['GET', '/api/v1/dags'], ['GET', '/api/windsock/events']]) {
        const r = await send(method, p, { token: bad, json: method === 'PATCH' ? { is_paused: true } : undefined });
        if (what === 'expired') expect([r.status, JSON.stringify(r.body)], `${what} ${method} ${p}`).toEqual([401, expect.stringContaining('Token Expired')]);
        else expect([r.status, JSON.stringify(r.body)], `${what} ${method} ${p}`).toEqual([403, expect.stringContaining('Invalid JWT token')]);
      }
    }
    expect(web.store.dags.isPaused('etl')).toBe(false);
  });
});

describe('roles', () => {
  it('a viewer is refused every write the app serves, bulk ones included, and nothing changes', async () => {
    const before = web.store.db.prepare('SELECT (SELECT group_concat(is_paused) FROM dag) || (SELECT count(*) FROM dag_run) || (SELECT count(*) FROM slot_pool)').pluck().get();
    const writes = routes.filter((r) => r.method !== 'GET' && !r.path.startsWith('/auth/') && !isPostedRead(r.method, r.path));
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['PATCH /api/v2/dags/:dag_id', 'PATCH /api/v1/dags']));
    for (const r of writes) {
      const reply = await send(r.method, concrete(r.path), { token: tokens.viewer, json: { is_paused: true, state: 'success', actions: [{ action: 'create', entities: [{ name: 'p', slots: 1 }], action_on_existence: 'overwrite' }] } });
      expect(reply.status, `${r.method} ${r.path}`).toBe(403);
    }
    // the bulk endpoints of both APIs, whether or not this build serves them: the role is checked first
    for (const [p, body] of [['/api/v2/dags?dag_id_pattern=~', { is_paused: true }], ['/api/v1/dags?dag_id_pattern=~', { is_paused: true }], ['/api/v2/pools', { actions: [{ action: 'create', entities: [{ name: 'default_pool', slots: 1000 }], action_on_existence: 'overwrite' }] }], ['/api/v2/variables', { actions: [] }], ['/api/v2/dags/~/dagRuns/~/taskInstances', { actions: [] }]] as const) {
      expect((await send('PATCH', p, { token: tokens.viewer, json: body })).status, p).toBe(403);
    }
    // a user may change DAGs but not pools, even in bulk
    expect((await send('PATCH', '/api/v2/pools', { token: tokens.user, json: { actions: [] } })).status).toBe(403);
    expect(web.store.db.prepare('SELECT (SELECT group_concat(is_paused) FROM dag) || (SELECT count(*) FROM dag_run) || (SELECT count(*) FROM slot_pool)').pluck().get()).toBe(before);
  });
});

/** The status of a POST on a connection of its own: the server closes one whose body it refused unread. */
function postOnNewConnection(p: string, body: string, token?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    if (token) headers.authorization = `Bearer ${token}`;
    const req = http.request(`${web.url}${p}`, { method: 'POST', agent: false, headers }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'EPIPE' || (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
    req.end(body);
  });
}

describe('limits', () => {
  it('refuses a body over 1 MiB with 413, before authentication, on every API', async () => {
    const big = JSON.stringify({ conf: { blob: 'x'.repeat(1024 * 1024 + 10) } });
    for (const [p, token] of [['/api/v2/dags/etl/dagRuns', tokens.user], ['/api/v1/dags/etl/dagRuns', tokens.user], ['/auth/token', undefined]] as const) {
      expect(await postOnNewConnection(p, big, token), p).toBe(413);
    }
    expect(web.store.runs.list({ dagId: 'etl' })).toHaveLength(2);
  });

  it('rate limits logins per address with 429 and Retry-After: POST /auth/token and failed HTTP Basic alike', async () => {
    const limited = await startWebApp(workspace(), { WINDSOCK_WEB_LOGIN_RATE: '3' });
    try {
      await createUser(limited.store, { username: 'bob', role: 'viewer', password: 'bob-password' });
      const tries = await Promise.all([1, 2, 3].map((i) => limited.req('POST', '/auth/token', { json: { username: 'bob', password: `guess-${i}` } })));
      expect(tries.map((r) => r.status)).toEqual([401, 401, 401]);
      const token = await limited.req('POST', '/auth/token', { json: { username: 'bob', password: 'bob-password' } });
      expect(token.status).toBe(429);
      expect(Number(token.headers.get('retry-after'))).toBeGreaterThan(0);

      const basic = (pw: string) => ({ authorization: `Basic ${Buffer.from(`bob:${pw}`).toString('base64')}` });
      expect((await limited.req('GET', '/api/v1/dags', { headers: basic('bob-password') })).status).toBe(200); // success is not counted
      for (let i = 0; i < 3; i++) expect((await limited.req('GET', '/api/v1/dags', { headers: basic(`guess-${i}`) })).status).toBe(401);
      const blocked = await limited.req('GET', '/api/v1/dags', { headers: basic('bob-password') });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(blocked.body).toMatchObject({ status: 429, detail: expect.stringMatching(/too many/i) });
    } finally {
      await limited.close();
    }
  });
});

/** What must never appear in an error body: internals, and this server's own paths and secrets. */
function leaks(r: Reply): string[] {
  const text = r.text;
  const found: string[] = [];
  const patterns: [string, RegExp][] = [
    ['a stack frame', /\n\s+at |at \S+ \(|\.[jt]s:\d+/],
    ['SQL', /\bSELECT\b|\bINSERT INTO\b|\bUPDATE \w+ SET\b|SQLITE_|sqlite/i],
    ['an exception name', /\b(TypeError|ReferenceError|RangeError|SyntaxError|SqliteError)\b/],
    ['node_modules', /node_modules/],
  ];
  for (const [what, re] of patterns) if (re.test(text)) found.push(what);
  for (const [what, value] of [['the home folder', ws.home], ['the DAGs folder', ws.dags], ['the source tree', ROOT], ['the token secret', TEST_SECRET], ['the password file', 'the-admin-password-on-disk']]) {
    if (text.includes(value)) found.push(what);
  }
  if (/password_hash|scrypt\$/.test(text)) found.push('a password hash');
  return found;
}

describe('error bodies', () => {
  it('the leak check itself notices a stack, SQL and this server\'s paths', () => {
    const reply = (text: string) => ({ status: 500, text, headers: new Headers(), body: undefined }) as Reply;
    expect(leaks(reply('Error: x\n    at run (/srv/app.js:3:9)'))).toContain('a stack frame');
    expect(leaks(reply('near "SELECT": syntax error'))).toContain('SQL');
    expect(leaks(reply(`cannot open ${ws.home}/windsock.db`))).toContain('the home folder');
    expect(leaks(reply('{"detail": "DAG with dag_id: \'x\' not found"}'))).toEqual([]);
  });

  it('malformed requests on every route answer 4xx with nothing internal in the body', async () => {
    const queries = ['limit=abc&offset=-1', 'order_by=%27%22%3B&limit=99999999999999999999', 'logical_date_gte=yesterday&execution_date_gte=2024-13-45T99:00:00', 'state=%00&dag_id_pattern=%25%27%20OR%201%3D1'];
    const bodies = ['{"is_paused": ', '[1,2', '{"conf": {"a": 1}, "logical_date": "not a date", "dag_run_id": 5}', '"just a string"', '{"actions": "all"}'];
    const weird = (p: string) => p.replace(/:(\w+)(\{[^}]*\})?/g, (_, n: string) => (/map_index|try_number/.test(n) ? '99999999999999999999' : encodeURIComponent(`it's%00"x`)));
    let checked = 0;
    // (logout is left out: it would revoke the token the fuzzing uses; the token tests cover it)
    for (const r of routes.filter((x) => x.path !== '/auth/logout')) {
      // the change events are a stream that stays open by design: only a bad resume id can fail there
      const attempts: [string, Parameters<WebApp['req']>[2]][] = r.path === '/api/windsock/events' ? [[`${r.path}?last_event_id=%27x`, {}]] : [
        ...queries.map((q): [string, Parameters<WebApp['req']>[2]] => [`${concrete(r.path)}?${q}`, {}]),
        [weird(r.path), {}],
        ...(r.method === 'GET' ? [] : bodies.map((b): [string, Parameters<WebApp['req']>[2]] => [concrete(r.path), { body: b, headers: { 'content-type': 'application/json' } }])),
        ...(r.method === 'GET' ? [] : [[concrete(r.path), { body: 'a=1', headers: { 'content-type': 'text/xml' } }] as [string, Parameters<WebApp['req']>[2]]]),
      ];
      for (const [url, o] of attempts) {
        const reply = await send(r.method, url, { token: tokens.admin, ...o });
        expect(reply.status, `${r.method} ${url}`).toBeLessThan(500);
        if (reply.status >= 400) {
          expect(leaks(reply), `${r.method} ${url}: ${reply.text.slice(0, 300)}`).toEqual([]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(routes.length);
  });
});

describe('files', () => {
  it('never serves the token secret, the password file or the database, however the path is spelled', async () => {
    const names = ['jwt_secret', 'admin_password.txt', 'windsock.db'];
    const spellings = (n: string) => [`/${n}`, `/api/v2/../${n}`, `/api/v1/../../${n}`, `/api/v2/%2e%2e/${n}`, `/api/v1/%2e%2e%2f${n}`, `/api/v2/dags/..%2f..%2f${n}`, `/auth/..%252f${n}`, `/api/v1/dagSources/${Buffer.from(n).toString('base64url')}`, `/api/v2/dagSources/${n}`, `/static/../${n}`];
    const secretOnDisk = fs.readFileSync(path.join(ws.home, 'admin_password.txt'), 'utf8').trim();
    for (const n of names) {
      for (const p of spellings(n)) {
        for (const token of [undefined, tokens.admin]) {
          const r = await web.req('GET', p, { token });
          expect([401, 404], `${p} ${token ? 'as admin' : 'anonymous'}`).toContain(r.status);
          expect(r.text).not.toContain(TEST_SECRET);
          expect(r.text).not.toContain(secretOnDisk);
          expect(r.text).not.toContain('SQLite format');
        }
      }
    }
  });
});

describe('CORS', () => {
  it('is off by default: no Access-Control headers for any origin, preflight included', async () => {
    const origin = { origin: 'https://evil.example' };
    for (const [method, p, headers] of [['GET', '/api/v2/dags', origin], ['OPTIONS', '/api/v2/dags', { ...origin, 'access-control-request-method': 'PATCH' }], ['GET', '/api/v1/health', origin]] as const) {
      const r = await web.req(method, p, { token: tokens.viewer, headers });
      expect(r.headers.get('access-control-allow-origin'), `${method} ${p}`).toBeNull();
      expect(r.headers.get('access-control-allow-credentials'), `${method} ${p}`).toBeNull();
    }
  });

  it('when origins are configured, allows exactly those', async () => {
    const cors = await startWebApp(workspace(), { WINDSOCK_WEB_CORS_ORIGINS: 'https://ui.example' });
    try {
      const ok = await cors.req('OPTIONS', '/api/v2/dags', { headers: { origin: 'https://ui.example', 'access-control-request-method': 'PATCH' } });
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://ui.example');
      const other = await cors.req('GET', '/api/v2/version', { headers: { origin: 'https://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
    } finally {
      await cors.close();
    }
  });
});
