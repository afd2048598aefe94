// API v2's run and task-instance actions in-process over real HTTP: trigger, patch, delete, clear (dry run by
// default), wait, the POST .../list readers, task instance get / tries / patch / dependencies and
// clearTaskInstances. Every answer is checked against Airflow's spec; every change is checked in the state database
// and in the audit log with the caller; bad input is refused with the spec's status and nothing written; each role
// gets what Airflow's simple auth manager gives it. Attempts are recorded through the store (the scenario test in
// web-scenario.test.ts runs real tasks through a real scheduler).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspace } from '../support/cli.js';
import { assertSpec } from '../support/openapi.js';
import { startWebApp, type WebApp } from '../support/web.js';
import { syncDagFolder } from '../support/dag-folder.js';

const FILES = {
  'chain.yaml': `chain:
  schedule: "@daily"
  catchup: false
  default_args: {start_date: 2024-01-01, retries: 1}
  tasks:
    - {task_id: extract, operator: bash, bash_command: 'echo e'}
    - {task_id: transform, operator: bash, bash_command: 'echo t', dependencies: [extract]}
    - {task_id: load, operator: bash, bash_command: 'echo l', dependencies: [transform]}
`,
  'other.yaml': `other:
  schedule: null
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: only, operator: empty}
`,
};

const RUNS = '/api/v2/dags/{dag_id}/dagRuns';
const RUN = '/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}';
const TIS = '/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances';
const TI = `${TIS}/{task_id}`;

let web: WebApp;
const tokens: Record<'viewer' | 'user' | 'op', string> = { viewer: '', user: '', op: '' };

beforeAll(async () => {
  const ws = workspace(FILES);
  web = await startWebApp(ws, { WINDSOCK_WEB_LOGIN_RATE: '1000' });
  // The `dag` table as the scheduler would record it.
  await syncDagFolder(web.store, ws.dags);
  for (const role of ['viewer', 'user', 'op'] as const) tokens[role] = await web.userToken(role);
}, 60_000);
afterAll(() => web?.close());

type Opts = { json?: unknown; body?: string; as?: keyof typeof tokens };
async function call(method: string, path: string, template: string, o: Opts = {}) {
  const headers = o.body !== undefined ? { 'content-type': 'application/json' } : undefined;
  const r = await web.req(method, path, { token: tokens[o.as ?? 'user'], json: o.json, body: o.body, headers });
  assertSpec(template, method.toLowerCase(), r.status, r.body);
  return r;
}

/** A manual run of `chain` made through the API, with a known run id. */
async function trigger(runId: string, extra: Record<string, unknown> = {}) {
  const r = await call('POST', '/api/v2/dags/chain/dagRuns', RUNS, { json: { dag_run_id: runId, logical_date: null, ...extra } });
  expect(r.status, r.text).toBe(200);
  return r.body;
}

/** Record that `taskId` ran in `runId` and ended in `state` (what the run loop would write). */
function attempt(runId: string, taskId: string, state: 'success' | 'failed' | 'up_for_retry') {
  const k = { dagId: 'chain', runId, taskId };
  web.store.tx(() => {
    if (web.store.runs.get('chain', runId)!.state !== 'running') web.store.runs.setState('chain', runId, 'running');
    web.store.tis.start(k, { hostname: 'test', pid: 1, jobId: null });
    web.store.tis.finish(k, state, new Date(), state === 'up_for_retry' ? new Date(Date.now() + 3_600_000) : null);
  });
}

const states = (runId: string) => Object.fromEntries(web.store.tis.forRun('chain', runId).map((t) => [t.task_id, t.state]));
const events = (runId: string) => web.store.events.list({ dagId: 'chain' }).filter((e) => e.run_id === runId).map((e) => [e.event, e.owner]);
const countRuns = () => web.store.runs.list().length;

describe('POST /api/v2/dags/{dag_id}/dagRuns (trigger)', () => {
  it('queues a manual run for the scheduler, with no logical date when none is given, triggered_by rest_api and the caller', async () => {
    const r = await call('POST', '/api/v2/dags/chain/dagRuns', RUNS, { json: {} });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dag_id: 'chain', run_type: 'manual', state: 'queued', logical_date: null, data_interval_start: null, triggered_by: 'rest_api', triggering_user_name: 'user', conf: {} });
    expect(r.body.dag_run_id).toMatch(/^manual__\d{4}-/);
    expect(states(r.body.dag_run_id)).toEqual({ extract: null, transform: null, load: null });
    expect(events(r.body.dag_run_id)).toEqual([['dag_run_created', 'user'], ['trigger', 'user']]);
    // Two runs without a logical date coexist.
    const again = await call('POST', '/api/v2/dags/chain/dagRuns', RUNS, { json: { logical_date: null } });
    expect(again.status).toBe(200);
    expect(again.body.dag_run_id).not.toBe(r.body.dag_run_id);
    const got = await call('GET', `/api/v2/dags/chain/dagRuns/${encodeURIComponent(r.body.dag_run_id)}`, RUN, { as: 'viewer' });
    expect(got.body).toEqual(r.body);
  });

  it('takes a run id, a logical date (its data interval inferred), conf and a note; a duplicate run id is 409', async () => {
    const r = await call('POST', '/api/v2/dags/chain/dagRuns', RUNS, { json: { dag_run_id: 'by-hand', logical_date: '2024-03-01T12:00:00+01:00', conf: { k: [1] }, note: 'rerun for March' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dag_run_id: 'by-hand', logical_date: '2024-03-01T11:00:00Z', data_interval_start: '2024-02-29T00:00:00Z', data_interval_end: '2024-03-01T00:00:00Z', conf: { k: [1] }, note: 'rerun for March' });
    const before = countRuns();
    const dup = await call('POST', '/api/v2/dags/chain/dagRuns', RUNS, { json: { dag_run_id: 'by-hand' } });
    expect(dup.status).toBe(409);
    expect(dup.body.detail).toBe('a run of chain with run id by-hand already exists: pass another dag_run_id');
    expect(countRuns()).toBe(before);
  });

  it('refuses bad bodies with 422 (nothing written), an unknown DAG with 404, a viewer with 403', async () => {
    const before = countRuns();
    const bad = async (body: string) => (await call('POST', '/api/v2/dags/chain/dagRuns', RUNS, { body })).body.detail;
    expect(await bad('{"logical_date": "2024-03-01T00:00:00"}')).toMatchObject([{ loc: ['body', 'logical_date'], type: 'timezone_aware' }]);
    expect(await bad('{"dag_run_id": "x", "execution_date": "2024-03-01T00:00:00Z"}')).toMatchObject([{ loc: ['body', 'execution_date'], type: 'extra_forbidden' }]);
    expect(await bad('{"conf": [1, 2]}')).toMatchObject([{ loc: ['body', 'conf'] }]);
    expect(await bad('{"conf": {"a": 1}')).toMatchObject([{ type: 'json_invalid' }]);
    expect(await bad('{"dag_run_id": "../../etc"}')).toMatchObject([{ loc: ['body', 'dag_run_id'], msg: expect.stringMatching(/contains '\/'/) }]);
    expect(await bad('{"data_interval_start": "2024-03-01T00:00:00Z"}')).toMatchObject([{ loc: ['body', 'data_interval_start'] }]);
    expect((await call('POST', '/api/v2/dags/chain/dagRuns', RUNS, { body: '{"logical_date": "2023-06-01T00:00:00Z"}' })).status).toBe(400);
    const missing = await call('POST', '/api/v2/dags/nope/dagRuns', RUNS, { json: {} });
    expect(missing).toMatchObject({ status: 404, body: { detail: "DAG with dag_id: 'nope' not found" } });
    expect((await call('POST', '/api/v2/dags/chain/dagRuns', RUNS, { json: {}, as: 'viewer' })).status).toBe(403);
    expect(countRuns()).toBe(before);
  });
});

describe('PATCH, DELETE and clear a run', () => {
  it('marks a run failed (running tasks failed, the rest skipped), then success (every task success), then queued', async () => {
    await trigger('patch-me');
    attempt('patch-me', 'extract', 'success');
    web.store.tx(() => web.store.tis.start({ dagId: 'chain', runId: 'patch-me', taskId: 'transform' }, { hostname: 'test', pid: 1, jobId: null }));
    const failed = await call('PATCH', '/api/v2/dags/chain/dagRuns/patch-me', RUN, { json: { state: 'failed' } });
    expect(failed.body).toMatchObject({ state: 'failed' });
    expect(failed.body.end_date).not.toBeNull();
    expect(states('patch-me')).toEqual({ extract: 'success', transform: 'failed', load: 'skipped' });
    await call('PATCH', '/api/v2/dags/chain/dagRuns/patch-me', RUN, { json: { state: 'success' } });
    expect(states('patch-me')).toEqual({ extract: 'success', transform: 'success', load: 'success' });
    const noted = await call('PATCH', '/api/v2/dags/chain/dagRuns/patch-me?update_mask=note', RUN, { json: { state: 'queued', note: 'looked at it' } });
    expect(noted.body).toMatchObject({ state: 'success', note: 'looked at it' });
    expect((await call('PATCH', '/api/v2/dags/chain/dagRuns/patch-me', RUN, { json: { state: 'queued' } })).body.state).toBe('queued');
    expect(events('patch-me').slice(2)).toEqual([['dag_run_marked_failed', 'user'], ['dag_run_marked_success', 'user'], ['set_dag_run_note', 'user'], ['dag_run_marked_queued', 'user']]);
  });

  it('refuses a state it cannot set (422), an unknown mask field (400), an unknown run (404), a viewer (403)', async () => {
    await trigger('patch-bad');
    const before = events('patch-bad').length;
    expect((await call('PATCH', '/api/v2/dags/chain/dagRuns/patch-bad', RUN, { json: { state: 'running' } })).body.detail).toMatchObject([{ loc: ['body', 'state'], type: 'enum' }]);
    expect((await call('PATCH', '/api/v2/dags/chain/dagRuns/patch-bad', RUN, { json: { note: 'x'.repeat(1001) } })).body.detail).toMatchObject([{ type: 'string_too_long' }]);
    expect((await call('PATCH', '/api/v2/dags/chain/dagRuns/patch-bad?update_mask=conf', RUN, { json: { state: 'failed' } })).status).toBe(400);
    expect((await call('PATCH', '/api/v2/dags/chain/dagRuns/nope', RUN, { json: { state: 'failed' } })).status).toBe(404);
    expect((await call('PATCH', '/api/v2/dags/chain/dagRuns/patch-bad', RUN, { json: { state: 'failed' }, as: 'viewer' })).status).toBe(403);
    expect(web.store.runs.get('chain', 'patch-bad')!.state).toBe('queued');
    expect(events('patch-bad').length).toBe(before);
  });

  it('deletes a run with its task instances (204), then 404; a viewer may not', async () => {
    await trigger('delete-me');
    expect((await call('DELETE', '/api/v2/dags/chain/dagRuns/delete-me', RUN, { as: 'viewer' })).status).toBe(403);
    const r = await web.req('DELETE', '/api/v2/dags/chain/dagRuns/delete-me', { token: tokens.user });
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect(web.store.runs.get('chain', 'delete-me')).toBeUndefined();
    expect(web.store.tis.forRun('chain', 'delete-me')).toEqual([]);
    expect(events('delete-me').at(-1)).toEqual(['delete_dag_run', 'user']);
    expect((await call('DELETE', '/api/v2/dags/chain/dagRuns/delete-me', RUN)).status).toBe(404);
  });

  it('clears a run: a dry run by default lists what would be cleared and changes nothing; then the run is queued again', async () => {
    await trigger('clear-me');
    attempt('clear-me', 'extract', 'success');
    attempt('clear-me', 'transform', 'failed');
    web.store.tx(() => {
      web.store.tis.propagate({ dagId: 'chain', runId: 'clear-me', taskId: 'load' }, 'upstream_failed');
      web.store.runs.setState('chain', 'clear-me', 'failed');
    });
    const path = '/api/v2/dags/chain/dagRuns/clear-me/clear';
    const dry = await call('POST', path, `${RUN}/clear`, { json: { only_failed: true } });
    expect(dry.body.task_instances.map((t: { task_id: string }) => t.task_id).sort()).toEqual(['load', 'transform']);
    expect(dry.body.total_entries).toBe(2);
    expect(web.store.runs.get('chain', 'clear-me')!.state).toBe('failed');
    const all = await call('POST', path, `${RUN}/clear`, { json: {} });
    expect(all.body.total_entries).toBe(3);
    const done = await call('POST', path, `${RUN}/clear`, { json: { dry_run: false, only_failed: true } });
    expect(done.body).toMatchObject({ dag_run_id: 'clear-me', state: 'queued' });
    expect(states('clear-me')).toEqual({ extract: 'success', transform: null, load: null });
    expect(events('clear-me').at(-1)).toEqual(['clear', 'user']);
    expect((await call('POST', path, `${RUN}/clear`, { json: { dry_run: 'no' } })).status).toBe(422);
    expect((await call('POST', path, `${RUN}/clear`, { json: {}, as: 'viewer' })).status).toBe(403);
  });
});

describe('POST /api/v2/dags/~/dagRuns/list and GET .../wait', () => {
  it('filters the GET list by who triggered it; DAG versions, bundle versions and partition keys (not kept) match no run', async () => {
    const mine = await call('POST', '/api/v2/dags/chain/dagRuns', RUNS, { json: { dag_run_id: 'by-op', logical_date: null }, as: 'op' });
    expect(mine.body.triggering_user_name).toBe('op');
    const list = async (q: string) => (await call('GET', `/api/v2/dags/~/dagRuns?${q}`, RUNS, { as: 'viewer' })).body;
    expect((await list('triggering_user_name_pattern=op')).dag_runs.map((r: { dag_run_id: string }) => r.dag_run_id)).toEqual(['by-op']);
    const byUser = await list('triggering_user_name_pattern=us_r');
    expect(byUser.total_entries).toBeGreaterThan(0);
    expect(byUser.dag_runs.every((r: { triggering_user_name: string }) => r.triggering_user_name === 'user')).toBe(true);
    const all = await list('');
    // `~` and an empty pattern filter nothing, as in Airflow
    expect((await list('triggering_user_name_pattern=~')).total_entries).toBe(all.total_entries);
    for (const q of ['dag_version=1', 'dag_version=1&dag_version=2', 'bundle_version=abc', 'partition_key_pattern=2024']) {
      expect(await list(q), q).toEqual({ dag_runs: [], total_entries: 0 });
    }
    expect((await list('partition_key_pattern=')).total_entries).toBe(all.total_entries);
    expect((await call('GET', '/api/v2/dags/~/dagRuns?dag_version=latest', RUNS)).body.detail).toMatchObject([{ loc: ['query', 'dag_version', 0], type: 'int_parsing' }]);
    // Query parameters the spec does not name are ignored, as FastAPI ignores them.
    expect(await list('colour=blue&limit=100')).toEqual(await list('limit=100'));
  });

  it('lists runs by dag_ids and states from a body, paged; a viewer may (it is a read)', async () => {
    const r = await call('POST', '/api/v2/dags/~/dagRuns/list', `${RUNS}/list`, { json: { dag_ids: ['chain'], states: ['queued'], page_limit: 2, order_by: '-id' }, as: 'viewer' });
    expect(r.status).toBe(200);
    expect(r.body.dag_runs).toHaveLength(2);
    expect(r.body.dag_runs.every((d: { state: string; dag_id: string }) => d.state === 'queued' && d.dag_id === 'chain')).toBe(true);
    expect(r.body.total_entries).toBe(web.store.runs.list({ dagId: 'chain', state: 'queued' }).length);
    expect((await call('POST', '/api/v2/dags/~/dagRuns/list', `${RUNS}/list`, { json: { dag_ids: ['other'] } })).body).toEqual({ dag_runs: [], total_entries: 0 });
    expect((await call('POST', '/api/v2/dags/~/dagRuns/list', `${RUNS}/list`, { json: { states: ['done'] } })).status).toBe(422);
    expect((await call('POST', '/api/v2/dags/~/dagRuns/list', `${RUNS}/list`, { json: { page_limit: -1 } })).status).toBe(422);
    expect((await call('POST', '/api/v2/dags/~/dagRuns/list', `${RUNS}/list`, { json: { start_date_gte: '2024-01-01' } })).body.detail).toMatchObject([{ loc: ['body', 'start_date_gte'], type: 'timezone_aware' }]);
    expect((await web.req('POST', '/api/v2/dags/chain/dagRuns/list', { token: tokens.user, json: {} })).status).toBe(422);
  });

  it('streams NDJSON states until the run finishes, the last line with the results asked for', async () => {
    await trigger('wait-me');
    web.store.runs.setState('chain', 'wait-me', 'running');
    const res = await fetch(`${web.url}/api/v2/dags/chain/dagRuns/wait-me/wait?interval=0.05&result=extract`, { headers: { authorization: `Bearer ${tokens.viewer}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(JSON.parse(first.split('\n')[0])).toEqual({ state: 'running' });
    web.store.tx(() => {
      web.store.xcom.push('chain', 'wait-me', 'extract', 'return_value', 42);
      web.store.runs.setState('chain', 'wait-me', 'success');
    });
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    const lines = (first + rest).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-1)).toEqual({ state: 'success', results: { extract: 42 } });
    expect(lines.slice(0, -1).every((l) => l.state === 'running')).toBe(true);
    const wait = '/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/wait';
    expect((await call('GET', '/api/v2/dags/chain/dagRuns/wait-me/wait', wait)).body.detail).toMatchObject([{ loc: ['query', 'interval'], type: 'missing' }]);
    expect((await call('GET', '/api/v2/dags/chain/dagRuns/wait-me/wait?interval=0', wait)).status).toBe(422);
    expect((await call('GET', '/api/v2/dags/chain/dagRuns/nope/wait?interval=1', wait)).status).toBe(404);
  });
});

describe('task instances', () => {
  it('gets one, lists its tries (with the one it is on), and 404s naming what is missing', async () => {
    await trigger('tries');
    attempt('tries', 'extract', 'up_for_retry');
    attempt('tries', 'extract', 'success');
    const one = await call('GET', '/api/v2/dags/chain/dagRuns/tries/taskInstances/extract', TI, { as: 'viewer' });
    expect(one.body).toMatchObject({ task_id: 'extract', dag_run_id: 'tries', state: 'success', try_number: 2, max_tries: 1, logical_date: null });
    expect((await call('GET', '/api/v2/dags/chain/dagRuns/tries/taskInstances/extract/-1', `${TIS}/{task_id}/{map_index}`)).body.id).toBe(one.body.id);
    const tries = await call('GET', '/api/v2/dags/chain/dagRuns/tries/taskInstances/extract/tries', `${TI}/tries`);
    expect(tries.body.task_instances.map((t: { try_number: number; state: string }) => [t.try_number, t.state])).toEqual([[1, 'up_for_retry'], [2, 'success']]);
    const second = await call('GET', '/api/v2/dags/chain/dagRuns/tries/taskInstances/extract/tries/2', `${TI}/tries/{task_try_number}`);
    expect(second.body).toMatchObject({ try_number: 2, state: 'success', hostname: 'test' });
    expect((await call('GET', '/api/v2/dags/chain/dagRuns/tries/taskInstances/extract/tries/7', `${TI}/tries/{task_try_number}`)).status).toBe(404);
    expect((await call('GET', '/api/v2/dags/chain/dagRuns/tries/taskInstances/extract/tries/two', `${TI}/tries/{task_try_number}`)).status).toBe(422);
    // The same tries named by map index in the path; windsock maps no task, so only -1 exists.
    const mapped = `${TIS}/{task_id}/{map_index}/tries`;
    expect((await call('GET', '/api/v2/dags/chain/dagRuns/tries/taskInstances/extract/-1/tries', mapped)).body).toEqual(tries.body);
    expect((await call('GET', '/api/v2/dags/chain/dagRuns/tries/taskInstances/extract/-1/tries/2', `${mapped}/{task_try_number}`)).body).toEqual(second.body);
    expect((await call('GET', '/api/v2/dags/chain/dagRuns/tries/taskInstances/extract/0/tries', mapped)).status).toBe(404);
    // No operator of windsock's defines extra links.
    const links = await call('GET', '/api/v2/dags/chain/dagRuns/tries/taskInstances/extract/links', `${TI}/links`);
    expect(links.body).toEqual({ extra_links: {}, total_entries: 0 });
    expect((await call('GET', '/api/v2/dags/chain/dagRuns/tries/taskInstances/nope/links', `${TI}/links`)).status).toBe(404);
    const missing = await call('GET', '/api/v2/dags/chain/dagRuns/tries/taskInstances/nope', TI);
    expect(missing.body.detail).toBe('The Task Instance with dag_id: `chain`, run_id: `tries` and task_id: `nope` was not found');
    expect((await call('GET', '/api/v2/dags/chain/dagRuns/gone/taskInstances/extract', TI)).body.detail).toMatch(/DagRun .* `gone` was not found/);
  });

  it('lists task instances from a body (POST .../list), null meaning no state yet', async () => {
    const path = `${TIS}/list`;
    const r = await call('POST', '/api/v2/dags/~/dagRuns/~/taskInstances/list', path, { json: { dag_run_ids: ['tries'], state: [null], order_by: 'task_id' }, as: 'viewer' });
    expect(r.body.task_instances.map((t: { task_id: string }) => t.task_id)).toEqual(['load', 'transform']);
    const some = await call('POST', '/api/v2/dags/~/dagRuns/~/taskInstances/list', path, { json: { task_ids: ['extract'], dag_ids: ['chain'], page_limit: 1 } });
    expect(some.body.task_instances).toHaveLength(1);
    expect(some.body.total_entries).toBeGreaterThan(1);
    expect((await call('POST', '/api/v2/dags/~/dagRuns/~/taskInstances/list', path, { json: { state: ['none'] } })).status).toBe(422);
    expect((await call('POST', '/api/v2/dags/~/dagRuns/~/taskInstances/list', path, { json: { dag_id: 'chain' } })).body.detail).toMatchObject([{ type: 'extra_forbidden' }]);
  });

  it('marks a task success with its downstream (a collection of what changed), 409 when nothing would, dry runs write nothing', async () => {
    await trigger('mark-me');
    attempt('mark-me', 'extract', 'failed');
    web.store.tx(() => web.store.runs.setState('chain', 'mark-me', 'failed'));
    const dry = await call('PATCH', '/api/v2/dags/chain/dagRuns/mark-me/taskInstances/extract/dry_run', `${TI}/dry_run`, { json: { new_state: 'success', include_downstream: true } });
    expect(dry.body.task_instances.map((t: { task_id: string; state: string | null }) => [t.task_id, t.state])).toEqual([['extract', 'failed'], ['load', null], ['transform', null]]);
    expect(states('mark-me')).toEqual({ extract: 'failed', transform: null, load: null });
    const r = await call('PATCH', '/api/v2/dags/chain/dagRuns/mark-me/taskInstances/extract', TI, { json: { new_state: 'success' } });
    expect(r.body).toMatchObject({ total_entries: 1, task_instances: [{ task_id: 'extract', state: 'success' }] });
    const again = await call('PATCH', '/api/v2/dags/chain/dagRuns/mark-me/taskInstances/extract', TI, { json: { new_state: 'success' } });
    expect(again).toMatchObject({ status: 409, body: { detail: 'Task id extract is already in success state' } });
    expect(events('mark-me').at(-1)).toEqual(['mark_success', 'user']);
    const noted = await call('PATCH', '/api/v2/dags/chain/dagRuns/mark-me/taskInstances/transform?update_mask=note', TI, { json: { new_state: 'failed', note: 'flaky upstream' } });
    expect(noted.body.task_instances).toMatchObject([{ task_id: 'transform', state: null, note: 'flaky upstream' }]);
  });

  it('marking a failed task success clears the failed tasks below it, and the run goes back to queued', async () => {
    await trigger('resume-me');
    attempt('resume-me', 'extract', 'failed');
    web.store.tx(() => {
      web.store.tis.propagate({ dagId: 'chain', runId: 'resume-me', taskId: 'transform' }, 'upstream_failed');
      web.store.tis.propagate({ dagId: 'chain', runId: 'resume-me', taskId: 'load' }, 'upstream_failed');
      web.store.runs.setState('chain', 'resume-me', 'failed');
    });
    await call('PATCH', '/api/v2/dags/chain/dagRuns/resume-me/taskInstances/extract', TI, { json: { new_state: 'success' } });
    expect(states('resume-me')).toEqual({ extract: 'success', transform: null, load: null });
    expect(web.store.runs.get('chain', 'resume-me')!.state).toBe('queued');
  });

  it('refuses states a user cannot set (422), unknown fields (422), a viewer (403), and writes nothing', async () => {
    const path = '/api/v2/dags/chain/dagRuns/mark-me/taskInstances/load';
    const before = JSON.stringify(states('mark-me'));
    expect((await call('PATCH', path, TI, { json: { new_state: 'running' } })).body.detail).toMatchObject([{ loc: ['body', 'new_state'] }]);
    expect((await call('PATCH', path, TI, { json: { new_state: 'bogus' } })).body.detail).toMatchObject([{ loc: ['body', 'new_state'], type: 'enum' }]);
    expect((await call('PATCH', path, TI, { json: { state: 'success' } })).body.detail).toMatchObject([{ loc: ['body', 'state'], type: 'extra_forbidden' }]);
    expect((await call('PATCH', path, TI, { json: { new_state: 'success', include_past: 'yes' } })).status).toBe(422);
    expect((await call('PATCH', path, TI, { json: { new_state: 'success' }, as: 'viewer' })).status).toBe(403);
    expect((await call('PATCH', '/api/v2/dags/chain/dagRuns/mark-me/taskInstances/nope', TI, { json: { new_state: 'success' } })).status).toBe(404);
    expect(JSON.stringify(states('mark-me'))).toBe(before);
  });

  it('says why a task instance is not running yet, with Airflow dependency names', async () => {
    await trigger('why');
    const deps = async (task: string) => (await call('GET', `/api/v2/dags/chain/dagRuns/why/taskInstances/${task}/dependencies`, `${TI}/dependencies`, { as: 'viewer' })).body.dependencies;
    expect(await deps('extract')).toEqual([{ name: 'Dagrun Running', reason: "Task instance's dagrun was not in the 'running' state but in the state 'queued'." }]);
    const load = await deps('load');
    expect(load.map((d: { name: string }) => d.name)).toEqual(['Dagrun Running', 'Trigger Rule']);
    expect(load[1].reason).toBe("Task's trigger rule 'all_success' is not met by its upstream tasks: transform (none).");
    web.store.tx(() => {
      web.store.runs.setState('chain', 'why', 'running');
      web.store.dags.setPaused('chain', true);
    });
    try {
      expect((await deps('extract')).map((d: { name: string }) => d.name)).toEqual(['Dag Not Paused']);
    } finally {
      web.store.dags.setPaused('chain', false);
    }
    attempt('why', 'extract', 'up_for_retry');
    expect((await deps('extract')).map((d: { name: string }) => d.name)).toEqual(['Not In Retry Period']);
    attempt('why', 'extract', 'success');
    expect(await deps('extract')).toEqual([]);
  });
});

describe('POST /api/v2/dags/{dag_id}/clearTaskInstances', () => {
  const CLEAR = '/api/v2/dags/{dag_id}/clearTaskInstances';

  it('is a dry run of only the failed instances by default; clears for real when asked, with downstream tasks', async () => {
    await trigger('ct');
    attempt('ct', 'extract', 'success');
    attempt('ct', 'transform', 'failed');
    web.store.tx(() => web.store.runs.setState('chain', 'ct', 'failed'));
    const dry = await call('POST', '/api/v2/dags/chain/clearTaskInstances', CLEAR, { json: { dag_run_id: 'ct' } });
    expect(dry.body.task_instances.map((t: { task_id: string }) => t.task_id)).toEqual(['transform']);
    expect(web.store.runs.get('chain', 'ct')!.state).toBe('failed');
    const down = await call('POST', '/api/v2/dags/chain/clearTaskInstances', CLEAR, { json: { dag_run_id: 'ct', only_failed: false, task_ids: ['extract'], include_downstream: true } });
    expect(down.body.total_entries).toBe(3);
    const up = await call('POST', '/api/v2/dags/chain/clearTaskInstances', CLEAR, { json: { dag_run_id: 'ct', only_failed: false, task_ids: [['transform', -1]], include_upstream: true } });
    expect(up.body.task_instances.map((t: { task_id: string }) => t.task_id).sort()).toEqual(['extract', 'transform']);
    const kept = await call('POST', '/api/v2/dags/chain/clearTaskInstances', CLEAR, { json: { dag_run_id: 'ct', dry_run: false, reset_dag_runs: false } });
    expect(kept.body.task_instances).toMatchObject([{ task_id: 'transform', state: null }]);
    expect(web.store.runs.get('chain', 'ct')!.state).toBe('failed');
    expect(events('ct').at(-1)).toEqual(['clear', 'user']);
    attempt('ct', 'transform', 'failed');
    await call('POST', '/api/v2/dags/chain/clearTaskInstances', CLEAR, { json: { dag_run_id: 'ct', dry_run: false } });
    expect(web.store.runs.get('chain', 'ct')!.state).toBe('queued');
  });

  it('refuses an unknown run or DAG (404), dates without a zone and unknown fields (422), a viewer (403)', async () => {
    expect((await call('POST', '/api/v2/dags/chain/clearTaskInstances', CLEAR, { json: { dag_run_id: 'nope' } })).status).toBe(404);
    expect((await call('POST', '/api/v2/dags/nope/clearTaskInstances', CLEAR, { json: {} })).status).toBe(404);
    expect((await call('POST', '/api/v2/dags/chain/clearTaskInstances', CLEAR, { json: { start_date: '2024-01-01T00:00:00' } })).body.detail).toMatchObject([{ loc: ['body', 'start_date'], type: 'timezone_aware' }]);
    expect((await call('POST', '/api/v2/dags/chain/clearTaskInstances', CLEAR, { json: { task_regex: 'x' } })).body.detail).toMatchObject([{ type: 'extra_forbidden' }]);
    expect((await call('POST', '/api/v2/dags/chain/clearTaskInstances', CLEAR, { json: { task_ids: [['x', 'y']] } })).status).toBe(422);
    expect((await call('POST', '/api/v2/dags/chain/clearTaskInstances', CLEAR, { json: {}, as: 'viewer' })).status).toBe(403);
    expect((await call('POST', '/api/v2/dags/chain/clearTaskInstances', CLEAR, { json: {}, as: 'op' })).status).toBe(200);
  });
});

describe('the audit log', () => {
  it('shows every change made through the API with who made it, in GET /api/v2/eventLogs', async () => {
    const r = await call('GET', '/api/v2/eventLogs?dag_id=chain&owner=user&limit=500', '/api/v2/eventLogs', { as: 'viewer' });
    const seen = new Set(r.body.event_logs.map((e: { event: string }) => e.event));
    for (const e of ['trigger', 'dag_run_marked_failed', 'set_dag_run_note', 'delete_dag_run', 'clear', 'mark_success', 'set_task_instance_note']) expect(seen).toContain(e);
  });
});
