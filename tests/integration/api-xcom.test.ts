// API v2's xcomEntries over real HTTP: XComs pushed by the engine's repo listed (one task instance, or `~` across
// DAGs, runs and tasks) with the spec's filters, read native or stringified, and created / updated / deleted through
// the engine's XCom service, with roles (a viewer reads, a user writes), the audit log and strict bodies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspace } from '../support/cli.js';
import { assertComponent } from '../support/openapi.js';
import { startWebApp, type WebApp } from '../support/web.js';
import { loadWorkspace, manualRun, specReq } from '../support/api-state.js';

const LIST = '/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/xcomEntries';
const ENTRY = `${LIST}/{xcom_key}`;

let web: WebApp;
let user: string;
let viewer: string;

beforeAll(async () => {
  const ws = workspace({
    'pipe.yaml': `pipe:
  schedule: null
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: a, operator: empty}
    - {task_id: b, operator: empty, dependencies: [a]}
`,
    'other.yaml': `other:
  schedule: null
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: c, operator: empty}
`,
  });
  web = await startWebApp(ws, { WINDSOCK_WEB_LOGIN_RATE: '1000' });
  const l = await loadWorkspace(ws, web.store);
  manualRun(l, 'pipe', 'r1', '2024-01-02T00:00:00Z');
  manualRun(l, 'pipe', 'r2', '2024-01-03T00:00:00Z');
  manualRun(l, 'other', 'o1', '2024-01-02T00:00:00Z');
  web.store.xcom.push('pipe', 'r1', 'a', 'return_value', { rows: 3, files: ['x.json'] });
  web.store.xcom.push('pipe', 'r1', 'a', 'path', '/lake/raw/2024-01-02');
  web.store.xcom.push('pipe', 'r2', 'a', 'return_value', [1, 2]);
  web.store.xcom.push('other', 'o1', 'c', 'return_value', null);
  user = await web.userToken('user');
  viewer = await web.userToken('viewer');
}, 120_000);
afterAll(() => web?.close());

const call = (method: string, url: string, template: string, o: Parameters<WebApp['req']>[2] = {}) => specReq(web, method, url, template, { token: user, ...o });

const keys = (body: { xcom_entries: { dag_id: string; run_id: string; task_id: string; key: string }[] }) =>
  body.xcom_entries.map((x) => `${x.dag_id}/${x.run_id}/${x.task_id}/${x.key}`);

describe('listing XComs', () => {
  it("lists one task instance's XComs with every required field and no values", async () => {
    const r = await call('GET', '/api/v2/dags/pipe/dagRuns/r1/taskInstances/a/xcomEntries', LIST, { token: viewer });
    expect(r.status).toBe(200);
    expect(r.body.total_entries).toBe(2);
    expect(r.body.xcom_entries[0]).toEqual({
      key: 'path', timestamp: expect.any(String), logical_date: '2024-01-02T00:00:00Z', map_index: -1, task_id: 'a', dag_id: 'pipe', run_id: 'r1',
      dag_display_name: 'pipe', task_display_name: 'a', run_after: '2024-01-02T00:00:00Z',
    });
  });

  it('takes ~ for the DAG, the run and the task, and filters by key, patterns, map index and dates', async () => {
    const list = async (q: string) => keys((await call('GET', `/api/v2/dags/~/dagRuns/~/taskInstances/~/xcomEntries${q}`, LIST)).body);
    expect(await list('')).toEqual(['other/o1/c/return_value', 'pipe/r1/a/path', 'pipe/r1/a/return_value', 'pipe/r2/a/return_value']);
    expect(await list('?xcom_key=return_value&dag_display_name_pattern=pip')).toEqual(['pipe/r1/a/return_value', 'pipe/r2/a/return_value']);
    expect(await list('?xcom_key_pattern=pat|nothing')).toEqual(['pipe/r1/a/path']);
    expect(await list('?run_id_pattern=o1|r2')).toEqual(['other/o1/c/return_value', 'pipe/r2/a/return_value']);
    expect(await list('?task_id_pattern=c')).toEqual(['other/o1/c/return_value']);
    expect(await list('?logical_date_gte=2024-01-03T00:00:00Z')).toEqual(['pipe/r2/a/return_value']);
    expect(await list('?run_after_lt=2024-01-03T00:00:00%2B00:00&map_index=-1&map_index_filter=-1')).toHaveLength(3);
    expect(await list('?map_index=0')).toEqual([]);
    const paged = await call('GET', '/api/v2/dags/~/dagRuns/~/taskInstances/~/xcomEntries?limit=1&offset=3', LIST);
    expect(paged.body.total_entries).toBe(4);
    expect(keys(paged.body)).toEqual(['pipe/r2/a/return_value']);
    expect(keys((await call('GET', '/api/v2/dags/pipe/dagRuns/~/taskInstances/a/xcomEntries?xcom_key=return_value', LIST)).body)).toHaveLength(2);
  });

  it('answers 422 for a map_index below -1, a date without a zone, a bad limit', async () => {
    for (const [q, field] of [['map_index=-2', 'map_index'], ['logical_date_gte=2024-01-03T00:00:00', 'logical_date_gte'], ['limit=-1', 'limit']]) {
      const r = await call('GET', `/api/v2/dags/~/dagRuns/~/taskInstances/~/xcomEntries?${q}`, LIST);
      expect(r.status).toBe(422);
      expect(r.body.detail[0].loc).toEqual(['query', field]);
    }
  });
});

describe('reading one XCom', () => {
  const url = (key: string, q = '') => `/api/v2/dags/pipe/dagRuns/r1/taskInstances/a/xcomEntries/${key}${q}`;

  it('gives the value as JSON, or as a string with stringify', async () => {
    const native = await call('GET', url('return_value'), ENTRY, { token: viewer });
    expect(native.body).toMatchObject({ key: 'return_value', dag_id: 'pipe', run_id: 'r1', task_id: 'a', map_index: -1, value: { rows: 3, files: ['x.json'] } });
    expect((await call('GET', url('return_value', '?deserialize=true'), ENTRY)).body.value).toEqual({ rows: 3, files: ['x.json'] });
    expect((await call('GET', url('return_value', '?stringify=true'), ENTRY)).body.value).toBe('{"rows":3,"files":["x.json"]}');
    expect((await call('GET', url('path', '?stringify=true'), ENTRY)).body.value).toBe('/lake/raw/2024-01-02');
    const none = await call('GET', '/api/v2/dags/other/dagRuns/o1/taskInstances/c/xcomEntries/return_value', ENTRY);
    expect(none.body.value).toBeNull();
  });

  it('answers 404 for an unknown key or map index, 422 for a bad flag', async () => {
    const r = await call('GET', url('nope'), ENTRY);
    expect(r.status).toBe(404);
    expect(r.body.detail).toBe('XCom entry with key: `nope` not found');
    expect((await call('GET', url('return_value', '?map_index=3'), ENTRY)).status).toBe(404);
    const flag = await call('GET', url('return_value', '?stringify=maybe'), ENTRY);
    expect(flag.status).toBe(422);
    expect(flag.body.detail[0].loc).toEqual(['query', 'stringify']);
  });
});

describe('writing XComs', () => {
  const base = '/api/v2/dags/pipe/dagRuns/r2/taskInstances/b/xcomEntries';

  it('creates (201), updates and deletes (204) an XCom, a key with / included, each in the audit log', async () => {
    const created = await call('POST', base, LIST, { json: { key: 'dir/file', value: { ok: true } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'dir/file', dag_id: 'pipe', run_id: 'r2', task_id: 'b', map_index: -1, value: { ok: true }, run_after: '2024-01-03T00:00:00Z' });
    expect(web.store.xcom.pull('pipe', 'r2', 'b', 'dir/file')).toEqual({ ok: true });
    expect((await call('GET', `${base}/dir/file`, ENTRY)).body.value).toEqual({ ok: true });
    expect((await call('GET', `${base}/dir%2Ffile`, ENTRY)).body.value).toEqual({ ok: true });

    const updated = await call('PATCH', `${base}/dir/file`, ENTRY, { json: { value: [1, 'two', null] } });
    expect(updated.status).toBe(200);
    expect(updated.body.value).toEqual([1, 'two', null]);
    expect(web.store.xcom.pull('pipe', 'r2', 'b', 'dir/file')).toEqual([1, 'two', null]);

    const deleted = await web.req('DELETE', `${base}/dir/file`, { token: user });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(web.store.xcom.pull('pipe', 'r2', 'b', 'dir/file')).toBeUndefined();
    expect((await call('DELETE', `${base}/dir/file`, ENTRY)).status).toBe(404);

    const audit = web.store.events.list().filter((e) => e.event.endsWith('_xcom_entry')).map((e) => [e.event, e.dag_id, e.run_id, e.task_id, e.owner]);
    expect(audit).toEqual([
      ['create_xcom_entry', 'pipe', 'r2', 'b', 'user'],
      ['update_xcom_entry', 'pipe', 'r2', 'b', 'user'],
      ['delete_xcom_entry', 'pipe', 'r2', 'b', 'user'],
    ]);
  });

  it('answers 409 for a key that exists, 404 for an unknown DAG, run or task, or an XCom to update that is not there', async () => {
    // Airflow's code answers 409 here, which its 3.2 spec leaves out
    const dup = await web.req('POST', '/api/v2/dags/pipe/dagRuns/r1/taskInstances/a/xcomEntries', { token: user, json: { key: 'path', value: 'x' } });
    expect(dup.status).toBe(409);
    assertComponent('HTTPExceptionResponse', dup.body);
    expect(dup.body.detail).toBe('The XCom with key: `path` with mentioned task instance already exists.');
    expect(web.store.xcom.pull('pipe', 'r1', 'a', 'path')).toBe('/lake/raw/2024-01-02');
    const details = async (url: string) => (await call('POST', url, LIST, { json: { key: 'k', value: 1 } })).body.detail;
    expect(await details('/api/v2/dags/nope/dagRuns/r1/taskInstances/a/xcomEntries')).toBe('The Dag with ID: `nope` was not found');
    expect(await details('/api/v2/dags/pipe/dagRuns/nope/taskInstances/a/xcomEntries')).toBe('Dag Run with ID: `nope` not found for dag: `pipe`');
    expect(await details('/api/v2/dags/pipe/dagRuns/r1/taskInstances/zzz/xcomEntries')).toMatch(/^Task with ID: `zzz` and map index -1 not found/);
    const missing = await call('PATCH', '/api/v2/dags/pipe/dagRuns/r1/taskInstances/a/xcomEntries/nope', ENTRY, { json: { value: 1 } });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe("The XCom with key: `nope` with mentioned task instance doesn't exist.");
  });

  it('lets a viewer read but not write (403, nothing written)', async () => {
    expect((await call('POST', base, LIST, { token: viewer, json: { key: 'v', value: 1 } })).status).toBe(403);
    expect((await call('PATCH', '/api/v2/dags/pipe/dagRuns/r1/taskInstances/a/xcomEntries/path', ENTRY, { token: viewer, json: { value: 1 } })).status).toBe(403);
    expect((await call('DELETE', '/api/v2/dags/pipe/dagRuns/r1/taskInstances/a/xcomEntries/path', ENTRY, { token: viewer })).status).toBe(403);
    expect(web.store.xcom.pull('pipe', 'r2', 'b', 'v')).toBeUndefined();
    expect(web.store.xcom.pull('pipe', 'r1', 'a', 'path')).toBe('/lake/raw/2024-01-02');
  });

  it('answers strict-body problems with 422 naming the field, and writes nothing', async () => {
    const detail = async (json: unknown) => {
      const r = await call('POST', base, LIST, { json });
      expect(r.status).toBe(422);
      return r.body.detail;
    };
    expect(await detail({ key: 'k' })).toEqual([expect.objectContaining({ loc: ['body', 'value'], type: 'missing', msg: 'Field required' })]);
    expect(await detail({ key: 'k', value: 1, extra: 2 })).toEqual([expect.objectContaining({ loc: ['body', 'extra'], type: 'extra_forbidden' })]);
    expect(await detail({ key: 5, value: 1 })).toEqual([expect.objectContaining({ loc: ['body', 'key'], type: 'string_type' })]);
    expect(await detail({ key: 'k', value: 1, map_index: 'x' })).toEqual([expect.objectContaining({ loc: ['body', 'map_index'] })]);
    const broken = await call('POST', base, LIST, { body: '{"key": ', headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(422);
    expect(broken.body.detail[0].type).toBe('json_invalid');
    const patch = await call('PATCH', '/api/v2/dags/pipe/dagRuns/r1/taskInstances/a/xcomEntries/path', ENTRY, { json: { value: 1, key: 'other' } });
    expect(patch.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'key'], type: 'extra_forbidden' })]);
    expect(web.store.xcom.list({ dagId: 'pipe', runId: 'r2', taskId: 'b' })).toEqual([]);
    expect(web.store.xcom.pull('pipe', 'r1', 'a', 'path')).toBe('/lake/raw/2024-01-02');
  });
});
