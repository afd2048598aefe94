// API v2's bulk task instance actions and task instance delete, in-process over real HTTP: PATCH
// .../taskInstances with update and delete actions (and `~` for any DAG or run), DELETE .../taskInstances/{task_id}.
// Every answer is checked against Airflow's spec; every change in the state database and in the audit log with the
// caller; an action that fails changes nothing and says why; bad bodies are 422 and a viewer 403, nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspace } from '../support/cli.js';
import { assertComponent, assertSpec } from '../support/openapi.js';
import { startWebApp, type WebApp } from '../support/web.js';
import { syncDagFolder, CHAIN_DAG } from '../support/dag-folder.js';

const FILES = {
  'chain.yaml': CHAIN_DAG,
};

const TIS = '/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances';
const TI = `${TIS}/{task_id}`;

let web: WebApp;
const tokens: Record<'viewer' | 'user', string> = { viewer: '', user: '' };

beforeAll(async () => {
  const ws = workspace(FILES);
  web = await startWebApp(ws, { WINDSOCK_WEB_LOGIN_RATE: '1000' });
  await syncDagFolder(web.store, ws.dags);
  for (const role of ['viewer', 'user'] as const) tokens[role] = await web.userToken(role);
}, 60_000);
afterAll(() => web?.close());

async function call(method: string, path: string, template: string, o: { json?: unknown; as?: keyof typeof tokens } = {}) {
  const r = await web.req(method, path, { token: tokens[o.as ?? 'user'], json: o.json });
  assertSpec(template, method.toLowerCase(), r.status, r.body);
  return r;
}

async function trigger(runId: string) {
  const r = await call('POST', '/api/v2/dags/chain/dagRuns', '/api/v2/dags/{dag_id}/dagRuns', { json: { dag_run_id: runId, logical_date: null } });
  expect(r.status, r.text).toBe(200);
}

/** `taskId` ran once in `runId` and ended `state`, with an XCom, as the run loop would record it. */
function attempt(runId: string, taskId: string, state: 'success' | 'failed') {
  const k = { dagId: 'chain', runId, taskId };
  web.store.tx(() => {
    web.store.tis.start(k, { hostname: 'test', pid: 1, jobId: null });
    web.store.tis.finish(k, state, new Date(), null);
    web.store.xcom.push('chain', runId, taskId, 'return_value', `${taskId} out`);
  });
}

const states = (runId: string) => Object.fromEntries(web.store.tis.forRun('chain', runId).map((t) => [t.task_id, t.state]));
const events = (runId: string) => web.store.events.list({ dagId: 'chain' }).filter((e) => e.run_id === runId).map((e) => [e.event, e.task_id, e.owner]);
const bulk = (path: string, actions: unknown[], as: keyof typeof tokens = 'user') => call('PATCH', path, TIS, { json: { actions }, as });

describe('PATCH /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances (bulk)', () => {
  it('updates states and notes through the same operations as one PATCH, each in the audit log; deletes with tries and XComs', async () => {
    await trigger('bulk-1');
    attempt('bulk-1', 'extract', 'failed');
    const r = await bulk('/api/v2/dags/chain/dagRuns/bulk-1/taskInstances', [
      { action: 'update', entities: [{ task_id: 'extract', new_state: 'success' }, { task_id: 'load', note: 'checked by hand' }] },
    ]);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({ create: null, update: { success: ['chain.bulk-1.extract[-1]', 'chain.bulk-1.load[-1]'], errors: [] }, delete: null });
    expect(states('bulk-1')).toEqual({ extract: 'success', transform: null, load: null });
    expect(web.store.tis.get({ dagId: 'chain', runId: 'bulk-1', taskId: 'load' })!.note).toBe('checked by hand');
    expect(events('bulk-1')).toEqual(expect.arrayContaining([['mark_success', null, 'user'], ['set_task_instance_note', 'load', 'user']]));

    const d = await bulk('/api/v2/dags/chain/dagRuns/bulk-1/taskInstances', [{ action: 'delete', entities: ['extract', { task_id: 'load', map_index: -1 }] }]);
    expect(d.body).toEqual({ create: null, update: null, delete: { success: ['chain.bulk-1.extract[-1]', 'chain.bulk-1.load[-1]'], errors: [] } });
    expect(Object.keys(states('bulk-1'))).toEqual(['transform']);
    expect(web.store.xcom.pull('chain', 'bulk-1', 'extract')).toBeUndefined();
    const tries = await call('GET', '/api/v2/dags/chain/dagRuns/bulk-1/taskInstances/extract/tries', `${TI}/tries`);
    expect(tries.status).toBe(404);
    expect(events('bulk-1').filter((e) => e[0] === 'delete_task_instance')).toEqual([['delete_task_instance', 'extract', 'user'], ['delete_task_instance', 'load', 'user']]);
  });

  it('fails a whole action, changing nothing, for a missing instance (skip goes on), an unknown task, a state already set; create is 405', async () => {
    await trigger('bulk-2');
    attempt('bulk-2', 'extract', 'failed');
    const r = await bulk('/api/v2/dags/chain/dagRuns/bulk-2/taskInstances', [
      { action: 'update', entities: [{ task_id: 'extract', new_state: 'success' }, { task_id: 'nope', new_state: 'success' }] },
      { action: 'delete', entities: ['transform', 'nope'], action_on_non_existence: 'skip' },
      { action: 'create', entities: [{ task_id: 'extract' }] },
    ]);
    expect(r.body.update).toEqual({ success: [], errors: [{ error: "The task instances with these keys: {'chain.bulk-2.nope[-1]'} were not found.", status_code: 404 }] });
    expect(r.body.delete).toEqual({ success: ['chain.bulk-2.transform[-1]'], errors: [] });
    expect(r.body.create).toEqual({ success: [], errors: [{ error: 'Task instances bulk create is not supported', status_code: 405 }] });
    expect(states('bulk-2')).toEqual({ extract: 'failed', load: null });

    // a task instance whose task is gone from the DAG, and a state it is already in
    web.store.db.prepare("INSERT INTO task_instance (dag_id, run_id, task_id, state) VALUES ('chain', 'bulk-2', 'retired', 'success')").run();
    const unknown = await bulk('/api/v2/dags/chain/dagRuns/bulk-2/taskInstances', [{ action: 'update', entities: [{ task_id: 'extract', new_state: 'success' }, { task_id: 'retired', new_state: 'failed' }] }]);
    expect(unknown.body.update.errors).toEqual([{ error: "Task 'retired' not found in DAG 'chain'", status_code: 404 }]);
    const already = await bulk('/api/v2/dags/chain/dagRuns/bulk-2/taskInstances', [{ action: 'update', entities: [{ task_id: 'extract', new_state: 'failed' }] }]);
    expect(already.body.update.errors).toEqual([{ error: 'Task id extract is already in failed state', status_code: 409 }]);
    expect(states('bulk-2')).toEqual({ extract: 'failed', load: null, retired: 'success' });
    expect(events('bulk-2').some((e) => e[0] === 'mark_success' || e[0] === 'mark_failed')).toBe(false);
  });

  it('takes `~` for any DAG and run when each entity names its own, and says which entity does not', async () => {
    await trigger('bulk-3');
    await trigger('bulk-4');
    const r = await bulk('/api/v2/dags/~/dagRuns/~/taskInstances', [
      { action: 'update', entities: [{ dag_id: 'chain', dag_run_id: 'bulk-3', task_id: 'load', new_state: 'skipped' }, { dag_id: 'chain', dag_run_id: 'bulk-4', task_id: 'load', new_state: 'skipped' }] },
      { action: 'delete', entities: ['load'] },
    ]);
    expect(r.body.update).toEqual({ success: ['chain.bulk-3.load[-1]', 'chain.bulk-4.load[-1]'], errors: [] });
    expect(r.body.delete.errors).toEqual([{ error: 'When using wildcard in path, dag_id and dag_run_id must be specified in BulkTaskInstanceBody object, not as string for task_id: load', status_code: 400 }]);
    expect([states('bulk-3').load, states('bulk-4').load]).toEqual(['skipped', 'skipped']);
  });

  it('refuses bad bodies (422) and a viewer (403), writing nothing', async () => {
    await trigger('bulk-5');
    const path = '/api/v2/dags/chain/dagRuns/bulk-5/taskInstances';
    const before = JSON.stringify(states('bulk-5'));
    const bad = [
      { actions: [{ action: 'update', entities: [{ task_id: 'load', new_state: 'running' }] }] },
      { actions: [{ action: 'update', entities: [{ task_id: 'load', state: 'success' }] }] },
      { actions: [{ action: 'update', entities: [{ new_state: 'success' }] }] },
      { actions: [{ action: 'upsert', entities: [] }] },
      { actions: [{ action: 'delete', entities: ['load'] }], extra: 1 },
      {},
    ];
    for (const json of bad) {
      const r = await call('PATCH', path, TIS, { json });
      expect(r.status, JSON.stringify(json)).toBe(422);
    }
    expect((await call('PATCH', path, TIS, { json: { actions: [{ action: 'update', entities: [{ task_id: 'load', new_state: 'running' }] }] } })).body.detail[0].loc).toEqual(
      expect.arrayContaining(['body', 'actions', 0, 'entities', 0, 'new_state']),
    );
    expect((await bulk(path, [{ action: 'delete', entities: ['load'] }], 'viewer')).status).toBe(403);
    expect(JSON.stringify(states('bulk-5'))).toBe(before);
  });
});

describe('DELETE /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}', () => {
  it('deletes one task instance (200), then 404s; map indexes other than -1 name none; a viewer may not', async () => {
    await trigger('del-1');
    attempt('del-1', 'extract', 'success');
    expect((await call('DELETE', '/api/v2/dags/chain/dagRuns/del-1/taskInstances/extract', TI, { as: 'viewer' })).status).toBe(403);
    const r = await call('DELETE', '/api/v2/dags/chain/dagRuns/del-1/taskInstances/extract', TI);
    expect(r).toMatchObject({ status: 200, body: null });
    expect(Object.keys(states('del-1'))).toEqual(['load', 'transform']);
    expect(events('del-1').at(-1)).toEqual(['delete_task_instance', 'extract', 'user']);
    const again = await call('DELETE', '/api/v2/dags/chain/dagRuns/del-1/taskInstances/extract', TI);
    expect(again).toMatchObject({ status: 404, body: { detail: 'The Task Instance with dag_id: `chain`, run_id: `del-1`, task_id: `extract` and map_index: `-1` was not found' } });
    expect((await call('DELETE', '/api/v2/dags/chain/dagRuns/del-1/taskInstances/load?map_index=2', TI)).status).toBe(404);
    expect((await call('DELETE', '/api/v2/dags/chain/dagRuns/del-1/taskInstances/load?map_index=x', TI)).status).toBe(422);
    expect(Object.keys(states('del-1'))).toEqual(['load', 'transform']);
  });

  it('refuses a task instance a live process is running (409), as deleting its run is refused', async () => {
    await trigger('del-2');
    const job = web.store.jobs.start('SchedulerJob');
    try {
      web.store.tx(() => {
        web.store.runs.setDriver('chain', 'del-2', job, null);
        web.store.tis.start({ dagId: 'chain', runId: 'del-2', taskId: 'extract' }, { hostname: 'test', pid: process.pid, jobId: job });
      });
      // 409 is windsock's (Airflow deletes it under its runner), so the spec does not list it: the body is its error shape
      const r = await web.req('DELETE', '/api/v2/dags/chain/dagRuns/del-2/taskInstances/extract', { token: tokens.user });
      expect(r.status).toBe(409);
      assertComponent('HTTPExceptionResponse', r.body);
      expect(r.body.detail).toMatch(/^task extract of run del-2 is running under the scheduler \(pid \d+ .*\): mark it failed first, then delete it$/);
      expect(states('del-2').extract).toBe('running');
    } finally {
      web.store.jobs.end(job);
    }
  });
});
