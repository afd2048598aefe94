// The change events as served by the web app: behind the same auth as the API, and fed by commits of other processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dag, workspace } from '../support/cli.js';
import { startWebApp, type WebApp } from '../support/web.js';
import { setVariable } from '../../engine/service/variables.js';
import { setDagPaused } from '../../engine/service/pause.js';
import { createUser } from '../../engine/service/users.js';

const DAG = `m:\n  schedule: null\n  start_date: 2024-01-01\n  tasks:\n    hello:\n      operator: bash\n      bash_command: echo hi\n`;
const ws = workspace({ 'm.yaml': DAG });
let web: WebApp;

beforeAll(async () => {
  expect((await dag(ws, ['list'])).code).toBe(0); // the state database and the DAG row exist
  web = await startWebApp(ws);
});
afterAll(async () => web?.close());

describe('/api/windsock/events in the web app', () => {
  it('refuses a caller without a token, and a bad token', async () => {
    expect((await web.req('GET', '/api/windsock/events')).status).toBe(401);
    expect((await web.req('GET', '/api/windsock/events', { token: 'not-a-jwt' })).status).toBe(403);
  });

  it('streams a pause made by `dag pause` in another process to a viewer', async () => {
    const token = await web.userToken('viewer');
    const ctrl = new AbortController();
    const res = await fetch(`${web.url}/api/windsock/events?dag_id=m`, { headers: { authorization: `Bearer ${token}` }, signal: ctrl.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    expect((await dag(ws, ['pause', 'm'])).code).toBe(0);
    let text = '';
    const dec = new TextDecoder();
    while (!/event: dag\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += dec.decode(value);
    }
    ctrl.abort();
    const data = JSON.parse(/event: dag\n(?:id: \d+\n)?data: (.*)\n/.exec(text)![1]!);
    expect(data).toMatchObject({ dag_id: 'm', is_paused: true });
  });

  it('streams variable changes (key only) to op and admin users, user changes (name and role) to admins only', async () => {
    const open = async (role: 'viewer' | 'op' | 'admin') => {
      const ctrl = new AbortController();
      const res = await fetch(`${web.url}/api/windsock/events`, { headers: { authorization: `Bearer ${await web.userToken(role)}` }, signal: ctrl.signal });
      const reader = res.body!.getReader();
      const dec = new TextDecoder();
      let text = '';
      while (!text.includes(': connected')) text += dec.decode((await reader.read()).value);
      /** What the stream sent up to and including the first `dag` event (the marker made after the others). */
      return async () => {
        while (!/event: dag\n/.test(text)) {
          const { value, done } = await reader.read();
          if (done) break;
          text += dec.decode(value);
        }
        ctrl.abort();
        return text;
      };
    };
    const streams = await Promise.all([open('viewer'), open('op'), open('admin')]);
    setVariable(web.store, { key: 'warehouse_password', value: 'hunter2-secret' });
    await createUser(web.store, { username: 'newcomer', role: 'viewer', password: 'newcomer-password' });
    setDagPaused(web.store, 'm', false, 'test'); // a change every stream gets, after the others
    const [viewer, op, admin] = await Promise.all(streams.map((s) => s()));
    const data = (text: string, kind: string) => JSON.parse(new RegExp(`event: ${kind}\ndata: (.*)\n`).exec(text)?.[1] ?? 'null');
    expect(viewer).not.toMatch(/event: (variable|user)\n/);
    expect(viewer).not.toContain('warehouse_password');
    expect(viewer).not.toContain('newcomer');
    expect(data(op, 'variable')).toMatchObject({ kind: 'variable', op: 'insert', key: 'warehouse_password' });
    expect(op).not.toMatch(/event: user\n/);
    expect(data(admin, 'variable')).toMatchObject({ key: 'warehouse_password' });
    expect(data(admin, 'user')).toMatchObject({ kind: 'user', op: 'insert', username: 'newcomer', role: 'viewer' });
    const hash = web.store.users.get('newcomer')!.password_hash;
    for (const text of [op, admin]) {
      expect(text).not.toContain('hunter2-secret');
      expect(text).not.toContain(hash);
    }
  });
});
