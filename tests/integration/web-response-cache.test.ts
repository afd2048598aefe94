// The DAG list answered from memory until the state database changes: a change committed by another connection
// (a scheduler, the CLI) or through the API itself shows in the next answer; roles and queries are kept apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspace, type Workspace } from '../support/cli.js';
import { startWebApp, type WebApp } from '../support/web.js';
import { seedWebState } from '../support/web-state.js';
import { Store } from '../../engine/state/store.js';

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
