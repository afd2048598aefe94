// API v1's write paths as Airflow 2 scripts call them, each answer checked against openapi-v1.yaml and each write
// read back through API v2 or the store: trigger with execution_date, patch a run's state, set a task instance's
// state (updateTaskInstancesState and PATCH), clear task instances, pools and variables create / update / delete,
// pause a DAG (one and bulk). The v1 adapter sends them all through v2's handlers, so both doors write the same rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspace } from '../support/cli.js';
import { assertComponent, assertSpec, documentedStatuses } from '../support/openapi.js';
import { startWebApp, type WebApp } from '../support/web.js';
import { createUser } from '../../engine/service/users.js';
import { syncDagFolder, CHAIN_DAG } from '../support/dag-folder.js';

const FILES = {
  'chain.yaml': CHAIN_DAG,
  'side.yaml': `side:
  schedule: null
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: only, operator: empty}
`,
};

const ADMIN = { authorization: `Basic ${Buffer.from('ada:ada-password').toString('base64')}` };
let web: WebApp;
let v2token: string;

beforeAll(async () => {
  const ws = workspace(FILES);
  web = await startWebApp(ws, { WINDSOCK_WEB_LOGIN_RATE: '1000' });
  await syncDagFolder(web.store, ws.dags);
  await createUser(web.store, { username: 'ada', role: 'admin', password: 'ada-password' });
  v2token = await web.login('ada', 'ada-password');
}, 60_000);
afterAll(() => web?.close());

/** A v1 request as admin (HTTP Basic), its answer checked against the v1 spec's operation `template`. */
async function v1(method: string, url: string, template: string, json?: unknown) {
  const r = await web.req(method, `/api/v1${url}`, { headers: ADMIN, json });
  // Airflow 2 answered 400 for bad input on operations whose spec lists no 400: those bodies are checked as problems
  if (r.status === 400 && !documentedStatuses(template, method, 'v1').includes('400')) assertComponent('Error', r.body, 'v1');
  else assertSpec(template, method, r.status, r.body ?? {}, 'v1');
  return r;
}

/** The same resource read through API v2. */
const v2 = (url: string) => web.req('GET', `/api/v2${url}`, { token: v2token });
const tiState = (runId: string, taskId: string) => web.store.tis.get({ dagId: 'chain', runId, taskId })?.state ?? null;

describe('DAG runs through v1', () => {
  it('triggers with execution_date (the logical date v2 shows), 409 on a duplicate run id, now when no date is given', async () => {
    const r = await v1('POST', '/dags/chain/dagRuns', '/dags/{dag_id}/dagRuns', { dag_run_id: 'v1-run', execution_date: '2024-03-01T00:00:00+00:00', conf: { source: 'v1' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dag_run_id: 'v1-run', dag_id: 'chain', state: 'queued', external_trigger: true, conf: { source: 'v1' } });
    expect(new Date(r.body.execution_date).toISOString()).toBe('2024-03-01T00:00:00.000Z');
    const back = await v2('/dags/chain/dagRuns/v1-run');
    expect(back.body).toMatchObject({ dag_run_id: 'v1-run', run_type: 'manual', conf: { source: 'v1' }, triggering_user_name: 'ada' });
    expect(new Date(back.body.logical_date).toISOString()).toBe('2024-03-01T00:00:00.000Z');

    const dup = await v1('POST', '/dags/chain/dagRuns', '/dags/{dag_id}/dagRuns', { dag_run_id: 'v1-run', execution_date: '2024-03-02T00:00:00Z' });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ status: 409, title: 'Conflict' });

    const before = Date.now();
    const now = await v1('POST', '/dags/chain/dagRuns', '/dags/{dag_id}/dagRuns', { dag_run_id: 'v1-now' });
    expect(now.status).toBe(200);
    expect(new Date(now.body.execution_date).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(new Date((await v2('/dags/chain/dagRuns/v1-now')).body.logical_date).getTime()).toBe(new Date(now.body.execution_date).getTime());

    const noZone = await v1('POST', '/dags/chain/dagRuns', '/dags/{dag_id}/dagRuns', { dag_run_id: 'v1-bad', execution_date: '2024-03-03T00:00:00' });
    expect(noZone.status).toBe(400);
    expect(noZone.body.detail).toMatch(/execution_date|logical_date/);
    expect((await v2('/dags/chain/dagRuns/v1-bad')).status).toBe(404);
  });

  it("patches a run's state, recorded in the store and the audit log", async () => {
    await v1('POST', '/dags/side/dagRuns', '/dags/{dag_id}/dagRuns', { dag_run_id: 'to-fail', execution_date: '2024-04-01T00:00:00Z' });
    const r = await v1('PATCH', '/dags/side/dagRuns/to-fail', '/dags/{dag_id}/dagRuns/{dag_run_id}', { state: 'failed' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dag_run_id: 'to-fail', state: 'failed' });
    expect(web.store.runs.get('side', 'to-fail')?.state).toBe('failed');
    const bad = await v1('PATCH', '/dags/side/dagRuns/to-fail', '/dags/{dag_id}/dagRuns/{dag_run_id}', { state: 'exploded' });
    expect(bad.status).toBe(400);
    expect(web.store.runs.get('side', 'to-fail')?.state).toBe('failed');
    const events = (await v2('/eventLogs?dag_id=side&run_id=to-fail&owner=ada')).body.event_logs.map((e: { event: string }) => e.event);
    expect(events).toContain('dag_run_created');
    expect(events.some((e: string) => /fail/.test(e))).toBe(true);

    const gone = await v1('DELETE', '/dags/side/dagRuns/to-fail', '/dags/{dag_id}/dagRuns/{dag_run_id}');
    expect(gone.status).toBe(204);
    expect(web.store.runs.get('side', 'to-fail')).toBeFalsy();
  });
});

describe('task instances through v1', () => {
  it('sets a task instance state: updateTaskInstancesState (a dry run unless dry_run is false) and PATCH', async () => {
    const path = '/dags/{dag_id}/updateTaskInstancesState';
    const dry = await v1('POST', '/dags/chain/updateTaskInstancesState', path, { task_id: 'extract', dag_run_id: 'v1-run', new_state: 'failed' });
    expect(dry.status).toBe(200);
    expect(dry.body.task_instances).toEqual([expect.objectContaining({ task_id: 'extract', dag_id: 'chain', dag_run_id: 'v1-run' })]);
    expect(tiState('v1-run', 'extract')).toBeNull();

    const real = await v1('POST', '/dags/chain/updateTaskInstancesState', path, { task_id: 'extract', dag_run_id: 'v1-run', new_state: 'failed', dry_run: false, include_downstream: true });
    expect(real.body.task_instances.map((t: { task_id: string }) => t.task_id).sort()).toEqual(['extract', 'load', 'transform']);
    expect(['extract', 'transform', 'load'].map((t) => tiState('v1-run', t))).toEqual(['failed', 'failed', 'failed']);

    const ti = '/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}';
    const patched = await v1('PATCH', '/dags/chain/dagRuns/v1-run/taskInstances/load', ti, { dry_run: false, new_state: 'success' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ task_id: 'load', dag_id: 'chain', dag_run_id: 'v1-run' });
    expect(tiState('v1-run', 'load')).toBe('success');
    expect((await v2('/dags/chain/dagRuns/v1-run/taskInstances/load')).body.state).toBe('success');

    const bad = await v1('PATCH', '/dags/chain/dagRuns/v1-run/taskInstances/load', ti, { dry_run: false, new_state: 'running' });
    expect(bad.status).toBe(400);
    expect(tiState('v1-run', 'load')).toBe('success');
  });

  it('clears the failed task instances of a run (a dry run unless dry_run is false): their state reset, the run queued again', async () => {
    const path = '/dags/{dag_id}/clearTaskInstances';
    const body = { dag_run_id: 'v1-run', task_ids: ['extract', 'transform', 'load'], only_failed: true };
    const dry = await v1('POST', '/dags/chain/clearTaskInstances', path, body);
    expect(dry.body.task_instances.map((t: { task_id: string }) => t.task_id).sort()).toEqual(['extract', 'transform']);
    expect(tiState('v1-run', 'extract')).toBe('failed');

    const real = await v1('POST', '/dags/chain/clearTaskInstances', path, { ...body, dry_run: false });
    expect(real.status).toBe(200);
    expect(real.body.task_instances.map((t: { task_id: string }) => t.task_id).sort()).toEqual(['extract', 'transform']);
    expect(['extract', 'transform', 'load'].map((t) => tiState('v1-run', t))).toEqual([null, null, 'success']);
    expect(web.store.runs.get('chain', 'v1-run')?.state).toBe('queued');
    const clears = (await v2('/eventLogs?dag_id=chain&event=clear&owner=ada')).body.total_entries;
    expect(clears).toBe(1);
  });
});

describe('pools and variables through v1', () => {
  it('creates, updates and deletes a pool, each change seen through v2', async () => {
    const created = await v1('POST', '/pools', '/pools', { name: 'v1pool', slots: 3, description: 'from v1' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: 'v1pool', slots: 3, open_slots: 3 });
    expect((await v2('/pools/v1pool')).body).toMatchObject({ name: 'v1pool', slots: 3, description: 'from v1' });

    const updated = await v1('PATCH', '/pools/v1pool', '/pools/{pool_name}', { name: 'v1pool', slots: 5 });
    expect(updated.body.slots).toBe(5);
    expect((await v2('/pools/v1pool')).body.slots).toBe(5);
    const masked = await v1('PATCH', '/pools/v1pool?update_mask=slots', '/pools/{pool_name}', { name: 'v1pool', slots: 7, description: 'ignored' });
    expect(masked.body.slots).toBe(7);
    expect((await v2('/pools/v1pool')).body).toMatchObject({ slots: 7, description: 'from v1' });

    const negative = await v1('PATCH', '/pools/v1pool', '/pools/{pool_name}', { name: 'v1pool', slots: 'many' });
    expect(negative.status).toBe(400);
    expect((await v2('/pools/v1pool')).body.slots).toBe(7);

    expect((await v1('DELETE', '/pools/v1pool', '/pools/{pool_name}')).status).toBe(204);
    expect((await v2('/pools/v1pool')).status).toBe(404);
    expect((await v1('GET', '/pools/v1pool', '/pools/{pool_name}')).status).toBe(404);
  });

  it('creates, updates and deletes a variable, each change seen through v2', async () => {
    const created = await v1('POST', '/variables', '/variables', { key: 'v1var', value: 'first', description: 'from v1' });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ key: 'v1var', value: 'first', description: 'from v1' });
    expect((await v2('/variables/v1var')).body).toMatchObject({ key: 'v1var', value: 'first', description: 'from v1' });

    const updated = await v1('PATCH', '/variables/v1var', '/variables/{variable_key}', { key: 'v1var', value: '{"n": 2}' });
    expect(updated.body.value).toBe('{"n": 2}');
    expect((await v2('/variables/v1var')).body.value).toBe('{"n": 2}');

    const missing = await v1('PATCH', '/variables/v1var', '/variables/{variable_key}', { key: 'v1var' });
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toMatch(/value/);

    expect((await v1('DELETE', '/variables/v1var', '/variables/{variable_key}')).status).toBe(204);
    expect((await v2('/variables/v1var')).status).toBe(404);
  });
});

describe('pausing DAGs through v1', () => {
  it('pauses one DAG and, in bulk, the DAGs a dag_id_pattern selects', async () => {
    const one = await v1('PATCH', '/dags/side?update_mask=is_paused', '/dags/{dag_id}', { is_paused: true });
    expect(one.body).toMatchObject({ dag_id: 'side', is_paused: true });
    expect(web.store.dags.isPaused('side')).toBe(true);
    expect(web.store.dags.isPaused('chain')).toBe(false);

    const bulk = await v1('PATCH', '/dags?dag_id_pattern=ch%25', '/dags', { is_paused: true });
    expect(bulk.status).toBe(200);
    expect(bulk.body.dags.map((d: { dag_id: string; is_paused: boolean }) => [d.dag_id, d.is_paused])).toEqual([['chain', true]]);
    expect(web.store.dags.isPaused('chain')).toBe(true);
    expect((await v2('/dags/chain')).body.is_paused).toBe(true);

    const unpause = await v1('PATCH', '/dags?dag_id_pattern=%25', '/dags', { is_paused: false });
    expect(unpause.body.total_entries).toBe(2);
    expect(['chain', 'side'].map((d) => web.store.dags.isPaused(d))).toEqual([false, false]);
    const events = (await v2('/eventLogs?owner=ada&included_events=pause&included_events=unpause&order_by=id')).body.event_logs.map((e: { dag_id: string; event: string }) => `${e.event} ${e.dag_id}`);
    expect(events).toEqual(['pause side', 'pause chain', 'unpause chain', 'unpause side']);
  });
});
