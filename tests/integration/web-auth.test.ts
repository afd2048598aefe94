// Auth on the web server, over real HTTP: tokens from POST /auth/token (JSON or form), logout revocation, expired and
// tampered tokens, the roles against each kind of endpoint, the login rate limit, HTTP Basic on v1 only, and the
// files the server keeps secrets in never being served. Every v2 response is checked against the spec.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, decodeJwt } from 'jose';
import { workspace } from '../support/cli.js';
import { assertSpec } from '../support/openapi.js';
import { startWebApp, TEST_SECRET, type WebApp } from '../support/web.js';
import { createUser } from '../../engine/service/users.js';
import { Store } from '../../engine/state/store.js';

const DAG = `hello:
  schedule: null
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: say, operator: bash, bash_command: 'echo hi'}
`;

let web: WebApp;
let home: string;
beforeAll(async () => {
  const ws = workspace({ 'hello.yaml': DAG });
  home = ws.home;
  web = await startWebApp(ws, { WINDSOCK_WEB_LOGIN_RATE: '1000' });
  web.store.dags.sync([{ dagId: 'hello', fileloc: `${ws.dags}/hello.yaml`, owner: 'airflow', description: null, timezone: 'UTC', maxActiveRuns: 16, maxActiveTasks: 16, tags: [] } as never], () => 'None', () => 'Never');
  await createUser(web.store, { username: 'alice', role: 'admin', password: 'alice-password' });
});
afterAll(() => web?.close());

describe('POST /auth/token', () => {
  it('gives a JWT for a JSON or a form body, with sub, role, jti, iat, nbf and exp', async () => {
    const json = await web.req('POST', '/auth/token', { json: { username: 'alice', password: 'alice-password' } });
    expect(json.status).toBe(201);
    const form = await web.req('POST', '/auth/token', {
      body: 'username=alice&password=alice-password',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(201);
    const claims = decodeJwt(json.body.access_token);
    expect(claims).toMatchObject({ sub: 'alice', role: 'admin' });
    expect(typeof claims.jti).toBe('string');
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.exp! - claims.iat!).toBe(86400);
    expect(decodeJwt(form.body.access_token).jti).not.toBe(claims.jti);
  });

  it('refuses bad credentials, other media types, missing and unknown fields', async () => {
    expect(await web.req('POST', '/auth/token', { json: { username: 'alice', password: 'wrong-password' } })).toMatchObject({ status: 401, body: { detail: 'Invalid credentials' } });
    expect(await web.req('POST', '/auth/token', { json: { username: 'nobody', password: 'whatever-pw' } })).toMatchObject({ status: 401, body: { detail: 'Invalid credentials' } });
    expect(await web.req('POST', '/auth/token', { body: 'alice:alice-password', headers: { 'content-type': 'text/plain' } })).toMatchObject({ status: 415, body: { detail: 'Unsupported Media Type' } });
    const missing = await web.req('POST', '/auth/token', { json: { username: 'alice' } });
    expect(missing.status).toBe(422);
    expect(missing.body.detail).toEqual([{ loc: ['body', 'password'], msg: 'Field required', type: 'missing' }]);
    const extra = await web.req('POST', '/auth/token', { json: { username: 'alice', password: 'alice-password', role: 'admin' } });
    expect(extra.status).toBe(422);
    expect(extra.body.detail).toMatchObject([{ loc: ['body', 'role'], type: 'extra_forbidden' }]);
    expect(await web.req('POST', '/auth/token', { json: { username: '', password: '' } })).toMatchObject({ status: 400, body: { detail: 'Username and password must be provided' } });
    const malformed = await web.req('POST', '/auth/token', { body: '{"username": ', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(422);
    expect(malformed.body.detail[0]).toMatchObject({ type: 'json_invalid', msg: 'JSON decode error' });
  });
});

describe('bearer tokens', () => {
  it('refuses requests without credentials everywhere but the public paths', async () => {
    for (const path of ['/api/v2/dags', '/api/v2/dags/hello', '/api/v2/dags/~/dagRuns', '/api/v2/dags/~/dagRuns/~/taskInstances', '/api/v2/importErrors', '/api/v2/no-such-thing']) {
      const r = await web.req('GET', path);
      expect(r.status, path).toBe(401);
      expect(r.body, path).toEqual({ detail: 'Not authenticated' });
    }
    const patch = await web.req('PATCH', '/api/v2/dags/hello', { json: { is_paused: true } });
    expect(patch.status).toBe(401);
    assertSpec('/api/v2/dags/{dag_id}', 'patch', 401, patch.body);
    const health = await web.req('GET', '/api/v2/monitor/health');
    expect(health.status).toBe(200);
    assertSpec('/api/v2/monitor/health', 'get', 200, health.body);
    const version = await web.req('GET', '/api/v2/version');
    expect(version.status).toBe(200);
    assertSpec('/api/v2/version', 'get', 200, version.body);
    expect((await web.req('GET', '/api/v1/health')).status).toBe(200);
  });

  it('no longer accepts a token after logout, while another token of the same user still works', async () => {
    const token = await web.login('alice', 'alice-password');
    const other = await web.login('alice', 'alice-password');
    expect((await web.req('GET', '/api/v2/dags', { token })).status).toBe(200);
    expect((await web.req('POST', '/auth/logout', { token })).status).toBe(204);
    const replay = await web.req('GET', '/api/v2/dags', { token });
    expect(replay).toMatchObject({ status: 403, body: { detail: 'Invalid JWT token' } });
    assertSpec('/api/v2/dags', 'get', 403, replay.body);
    expect((await web.req('GET', '/api/v2/dags', { token: other })).status).toBe(200);
    expect((await web.req('POST', '/auth/logout')).status).toBe(401);
  });

  it('says Token Expired for an expired token and Invalid JWT token for a tampered or foreign one', async () => {
    const key = new TextEncoder().encode(TEST_SECRET);
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS512' }).setSubject('alice').setJti('old')
      .setIssuedAt(past - 60).setNotBefore(past - 60).setExpirationTime(past).sign(key);
    expect(await web.req('GET', '/api/v2/dags', { token: expired })).toMatchObject({ status: 401, body: { detail: 'Token Expired' } });

    const token = await web.login('alice', 'alice-password');
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(token), sub: 'alice', role: 'admin', exp: decodeJwt(token).exp! + 1 })).toString('base64url');
    for (const bad of [`${h}.${forged}.${s}`, `${h}.${p}.${s.slice(0, -2)}AA`, 'not-a-jwt', token + 'x']) {
      expect(await web.req('GET', '/api/v2/dags', { token: bad })).toMatchObject({ status: 403, body: { detail: 'Invalid JWT token' } });
    }
    const otherKey = await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS512' }).setSubject('alice').setJti('x')
      .setIssuedAt().setNotBefore(Math.floor(Date.now() / 1000)).setExpirationTime('1h').sign(new TextEncoder().encode('another-secret-entirely-0123456789'));
    expect(await web.req('GET', '/api/v2/dags', { token: otherKey })).toMatchObject({ status: 403, body: { detail: 'Invalid JWT token' } });
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
    expect(await web.req('GET', '/api/v2/dags', { token: none })).toMatchObject({ status: 403, body: { detail: 'Invalid JWT token' } });
  });

  it('takes the role from the user table: a deleted user\'s token stops working', async () => {
    const token = await web.userToken('viewer', 'temp-viewer');
    expect((await web.req('GET', '/api/v2/dags', { token })).status).toBe(200);
    web.store.users.delete('temp-viewer');
    expect(await web.req('GET', '/api/v2/dags', { token })).toMatchObject({ status: 403, body: { detail: 'Invalid JWT token' } });
  });

  it('sees a demotion, a deletion or a revocation committed by another connection (`dag users` elsewhere) at the next request', async () => {
    const token = await web.userToken('op', 'temp-op');
    const other = Store.open(home);
    try {
      expect((await web.req('GET', '/api/v2/variables', { token })).status).toBe(200);
      expect((await web.req('GET', '/api/v2/variables', { token })).status).toBe(200);
      other.db.prepare("UPDATE user SET role = 'viewer' WHERE username = 'temp-op'").run();
      expect(await web.req('GET', '/api/v2/variables', { token })).toMatchObject({ status: 403, body: { detail: 'Forbidden' } });
      expect((await web.req('GET', '/api/v2/dags', { token })).status).toBe(200);
      other.users.revokeToken(decodeJwt(token).jti!, new Date(Date.now() + 3_600_000));
      expect(await web.req('GET', '/api/v2/dags', { token })).toMatchObject({ status: 403, body: { detail: 'Invalid JWT token' } });
      const again = await web.userToken('viewer', 'temp-viewer-2');
      expect((await web.req('GET', '/api/v2/dags', { token: again })).status).toBe(200);
      other.users.delete('temp-viewer-2');
      expect(await web.req('GET', '/api/v2/dags', { token: again })).toMatchObject({ status: 403, body: { detail: 'Invalid JWT token' } });
    } finally {
      other.close();
    }
  });
});

describe('roles', () => {
  it('lets viewer read but not pause; user pause; each answer per the spec', async () => {
    const viewer = await web.userToken('viewer');
    const user = await web.userToken('user');
    const read = await web.req('GET', '/api/v2/dags', { token: viewer });
    expect(read.status).toBe(200);
    assertSpec('/api/v2/dags', 'get', 200, read.body);
    const denied = await web.req('PATCH', '/api/v2/dags/hello', { token: viewer, json: { is_paused: true } });
    expect(denied).toMatchObject({ status: 403, body: { detail: 'Forbidden' } });
    assertSpec('/api/v2/dags/{dag_id}', 'patch', 403, denied.body);
    expect(web.store.dags.isPaused('hello')).toBe(false);
    const allowed = await web.req('PATCH', '/api/v2/dags/hello', { token: user, json: { is_paused: true } });
    expect(allowed.status).toBe(200);
    assertSpec('/api/v2/dags/{dag_id}', 'patch', 200, allowed.body);
    expect(web.store.dags.isPaused('hello')).toBe(true);
  });

  it('needs op for pools, config and backfills writes, op to read variables and config, admin for users', async () => {
    const tokens = { viewer: await web.userToken('viewer'), user: await web.userToken('user'), op: await web.userToken('op'), admin: await web.login('alice', 'alice-password') };
    // Paths not served yet answer 404 once the role allows them: the role check comes first.
    const cases: [string, string, Record<keyof typeof tokens, boolean>][] = [
      ['GET', '/api/v2/pools', { viewer: true, user: true, op: true, admin: true }],
      ['POST', '/api/v2/pools', { viewer: false, user: false, op: true, admin: true }],
      ['POST', '/api/v2/backfills', { viewer: false, user: false, op: true, admin: true }],
      ['GET', '/api/v2/config', { viewer: false, user: false, op: true, admin: true }],
      ['GET', '/api/v2/variables', { viewer: false, user: false, op: true, admin: true }],
      ['POST', '/api/v2/dags/hello/dagRuns', { viewer: false, user: true, op: true, admin: true }],
      ['POST', '/api/v2/dags/~/dagRuns/list', { viewer: true, user: true, op: true, admin: true }],
      ['GET', '/api/v2/users', { viewer: false, user: false, op: false, admin: true }],
    ];
    for (const [method, path, allowed] of cases) {
      for (const [role, token] of Object.entries(tokens)) {
        const r = await web.req(method, path, { token, json: method === 'GET' ? undefined : {} });
        if (allowed[role as keyof typeof tokens]) expect(r.status, `${role} ${method} ${path}`).not.toBe(403);
        else expect(r, `${role} ${method} ${path}`).toMatchObject({ status: 403, body: { detail: 'Forbidden' } });
      }
    }
  });
});

describe('API v1 credentials', () => {
  it('takes HTTP Basic on /api/v1 but not on /api/v2, with RFC 7807 problems', async () => {
    const basic = 'Basic ' + Buffer.from('alice:alice-password').toString('base64');
    expect((await web.req('GET', '/api/v1/dags', { headers: { authorization: basic } })).status).toBe(200);
    const wrong = await web.req('GET', '/api/v1/dags', { headers: { authorization: 'Basic ' + Buffer.from('alice:nope').toString('base64') } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    expect(wrong.headers.get('www-authenticate')).toBe('Basic');
    expect((await web.req('GET', '/api/v2/dags', { headers: { authorization: basic } })).status).toBe(401);
  });
});

describe('hardening', () => {
  it('rate limits POST /auth/token per client address: 429 with Retry-After after 10 tries a minute', async () => {
    const ws = workspace();
    const limited = await startWebApp(ws);
    try {
      await createUser(limited.store, { username: 'bob', role: 'viewer', password: 'bob-password' });
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await limited.req('POST', '/auth/token', { json: { username: 'bob', password: 'guess-' + i } })).status);
      expect(statuses).toEqual(Array(10).fill(401));
      const blocked = await limited.req('POST', '/auth/token', { json: { username: 'bob', password: 'bob-password' } });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(blocked.body.detail).toMatch(/too many/i);
    } finally {
      await limited.close();
    }
  });

  it('never serves the secret or the admin password file, and sets secure headers', async () => {
    const token = await web.login('alice', 'alice-password');
    for (const path of ['/jwt_secret', '/admin_password.txt', '/windsock.db', '/api/v2/../jwt_secret', '/api/v2/%2e%2e/jwt_secret', '/auth/../admin_password.txt']) {
      const r = await web.req('GET', path, { token });
      expect([401, 404], path).toContain(r.status);
      expect(r.text).not.toContain(TEST_SECRET);
    }
    const r = await web.req('GET', '/api/v2/version');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });
});
