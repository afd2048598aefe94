// API v2's first endpoints over real HTTP against a state database filled by the real CLI (a finished run, a queued
// manual run, a broken DAG file): every answer checked against Airflow's spec, filters, order_by and paging, the
// pause through PATCH shared with `dag pause`, and bad input answered with the spec's status and a clear detail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dag, workspace } from '../support/cli.js';
import { assertComponent, assertSpec } from '../support/openapi.js';
import { startWebApp, type WebApp } from '../support/web.js';

const FILES = {
  'etl.yaml': `etl:
  schedule: "@daily"
  catchup: false
  tags: [team-a, daily]
  default_args: {start_date: 2024-01-01, owner: alice}
  tasks:
    - {task_id: extract, operator: bash, bash_command: 'echo extract'}
    - {task_id: load, operator: empty, dependencies: [extract]}
`,
  'report.yaml': `report:
  schedule: null
  tags: [team-b]
  default_args: {start_date: 2024-01-01, owner: bob}
  tasks:
    - {task_id: build, operator: empty}
`,
  'broken.yaml': `broken:
  schedule: "not a schedule"
  tasks: []
`,
};

let web: WebApp;
let token: string;
let manualRunId: string;

beforeAll(async () => {
  const ws = workspace(FILES);
  const run = await dag(ws, ['run', 'etl', '--date', '2024-01-02']);
  expect(run.code, run.stderr).toBe(0);
  const trig = await dag(ws, ['trigger', 'etl', '--logical-date', '2024-01-05T00:00:00Z', '-o', 'json']);
  expect(trig.code, trig.stderr).toBe(0);
  manualRunId = JSON.parse(trig.stdout)[0].dag_run_id;
  web = await startWebApp(ws, { WINDSOCK_WEB_LOGIN_RATE: '1000' });
  token = await web.userToken('user');
}, 180_000);
afterAll(() => web?.close());

async function get(path: string, template: string) {
  const r = await web.req('GET', path, { token });
  assertSpec(template, 'get', r.status, r.body);
  return r;
}

describe('GET /api/v2/dags', () => {
  it('lists the DAGs with every required field, and total_entries', async () => {
    const r = await get('/api/v2/dags', '/api/v2/dags');
    expect(r.status).toBe(200);
    expect(r.body.total_entries).toBe(2);
    expect(r.body.dags.map((d: { dag_id: string }) => d.dag_id)).toEqual(['etl', 'report']);
    const etl = r.body.dags[0];
    expect(etl).toMatchObject({ dag_id: 'etl', dag_display_name: 'etl', is_paused: false, is_stale: false, owners: ['alice'], timetable_summary: '@daily', relative_fileloc: 'etl.yaml' });
    expect(etl.tags).toEqual([{ name: 'team-a', dag_id: 'etl', dag_display_name: 'etl' }, { name: 'daily', dag_id: 'etl', dag_display_name: 'etl' }]);
  });

  it('filters by dag_id_pattern, tags (any / all), owners and paused; pages with limit / offset', async () => {
    const ids = async (q: string) => (await get(`/api/v2/dags?${q}`, '/api/v2/dags')).body.dags.map((d: { dag_id: string }) => d.dag_id);
    expect(await ids('dag_id_pattern=rep')).toEqual(['report']);
    expect(await ids('dag_id_pattern=~')).toEqual(['etl', 'report']);
    expect(await ids('tags=team-b&tags=daily')).toEqual(['etl', 'report']);
    expect(await ids('tags=team-a&tags=daily&tags_match_mode=all')).toEqual(['etl']);
    expect(await ids('tags=team-b&tags=daily&tags_match_mode=all')).toEqual([]);
    expect(await ids('owners=bob')).toEqual(['report']);
    expect(await ids('paused=true')).toEqual([]);
    expect(await ids('order_by=-dag_id')).toEqual(['report', 'etl']);
    const paged = await get('/api/v2/dags?limit=1&offset=1', '/api/v2/dags');
    expect(paged.body).toMatchObject({ total_entries: 2, dags: [{ dag_id: 'report' }] });
  });

  it('answers 400 for an unknown order_by key and 422 for limit=-1 or a non-boolean, naming the parameter', async () => {
    // Airflow answers 400 here although the spec lists no 400 for this operation (api_fastapi/common/parameters.py)
    const order = await web.req('GET', '/api/v2/dags?order_by=password', { token });
    expect(order.status).toBe(400);
    assertComponent('HTTPExceptionResponse', order.body);
    expect(order.body.detail).toBe("Ordering with 'password' is disallowed or the attribute does not exist on the model");
    const limit = await get('/api/v2/dags?limit=-1', '/api/v2/dags');
    expect(limit.status).toBe(422);
    expect(limit.body.detail).toMatchObject([{ loc: ['query', 'limit'], type: 'greater_than_equal' }]);
    const paused = await get('/api/v2/dags?paused=maybe', '/api/v2/dags');
    expect(paused.status).toBe(422);
    expect(paused.body.detail[0].loc).toEqual(['query', 'paused']);
    const word = await get('/api/v2/dags?offset=ten', '/api/v2/dags');
    expect(word.body.detail).toMatchObject([{ loc: ['query', 'offset'], type: 'int_parsing' }]);
  });
});

describe('/api/v2/dags/{dag_id}', () => {
  it('gets one DAG, and 404 for an unknown one', async () => {
    expect((await get('/api/v2/dags/report', '/api/v2/dags/{dag_id}')).body).toMatchObject({ dag_id: 'report', owners: ['bob'] });
    const missing = await get('/api/v2/dags/nope', '/api/v2/dags/{dag_id}');
    expect(missing).toMatchObject({ status: 404, body: { detail: "DAG with dag_id: 'nope' not found" } });
  });

  it('pauses and unpauses through PATCH, recorded in the audit log with the caller', async () => {
    const patch = async (json: unknown, q = '', extra: Record<string, string> = {}) => {
      const r = await web.req('PATCH', `/api/v2/dags/report${q}`, { token, json, headers: extra });
      assertSpec('/api/v2/dags/{dag_id}', 'patch', r.status, r.body);
      return r;
    };
    expect((await patch({ is_paused: true })).body.is_paused).toBe(true);
    expect(web.store.dags.isPaused('report')).toBe(true);
    expect((await patch({ is_paused: false }, '?update_mask=is_paused')).body.is_paused).toBe(false);
    expect(web.store.events.list({ dagId: 'report' }).map((e) => [e.event, e.owner])).toEqual([['pause', 'user'], ['unpause', 'user']]);
    const nope = await web.req('PATCH', '/api/v2/dags/nope', { token, json: { is_paused: true } });
    expect(nope.status).toBe(404);
  });

  it('refuses bad bodies with 422 and writes nothing: unknown field, wrong type, missing field, malformed JSON', async () => {
    const patch = async (body: string) => {
      const r = await web.req('PATCH', '/api/v2/dags/report', { token, body, headers: { 'content-type': 'application/json' } });
      assertSpec('/api/v2/dags/{dag_id}', 'patch', r.status, r.body);
      return r;
    };
    const before = web.store.events.list({ dagId: 'report' }).length;
    expect((await patch('{"is_paused": true, "owners": ["me"]}')).body.detail).toMatchObject([{ loc: ['body', 'owners'], type: 'extra_forbidden', msg: 'Extra inputs are not permitted' }]);
    expect((await patch('{"is_paused": "yes"}')).body.detail).toMatchObject([{ loc: ['body', 'is_paused'], type: 'bool_type' }]);
    expect((await patch('{}')).body.detail).toEqual([{ loc: ['body', 'is_paused'], msg: 'Field required', type: 'missing' }]);
    expect((await patch('{"is_paused": tru')).body.detail).toMatchObject([{ type: 'json_invalid' }]);
    expect((await patch('[true]')).status).toBe(422);
    const mask = await web.req('PATCH', '/api/v2/dags/report?update_mask=owners', { token, json: { is_paused: true } });
    expect(mask.status).toBe(400);
    expect(web.store.dags.isPaused('report')).toBe(false);
    expect(web.store.events.list({ dagId: 'report' }).length).toBe(before);
  });
});

describe('DAG runs and task instances', () => {
  it('lists runs of one DAG and of all (~), filtered by state, ordered, paged', async () => {
    const all = await get('/api/v2/dags/~/dagRuns', '/api/v2/dags/{dag_id}/dagRuns');
    expect(all.body.total_entries).toBe(2);
    const [backfill, manual] = all.body.dag_runs;
    expect(backfill).toMatchObject({ dag_id: 'etl', run_type: 'backfill', state: 'success', logical_date: '2024-01-02T00:00:00Z', run_after: '2024-01-03T00:00:00Z', dag_versions: [] });
    expect(backfill.duration).toBeGreaterThanOrEqual(0);
    expect(manual).toMatchObject({ dag_run_id: manualRunId, run_type: 'manual', state: 'queued', logical_date: '2024-01-05T00:00:00Z', run_after: '2024-01-05T00:00:00Z', conf: {} });
    const queued = await get('/api/v2/dags/etl/dagRuns?state=queued&state=running', '/api/v2/dags/{dag_id}/dagRuns');
    expect(queued.body.dag_runs.map((r: { dag_run_id: string }) => r.dag_run_id)).toEqual([manualRunId]);
    const latest = await get('/api/v2/dags/~/dagRuns?limit=1&order_by=-run_after', '/api/v2/dags/{dag_id}/dagRuns');
    expect(latest.body).toMatchObject({ total_entries: 2, dag_runs: [{ dag_run_id: manualRunId }] });
    const since = await get('/api/v2/dags/etl/dagRuns?logical_date_gte=2024-01-03T00:00:00%2B01:00', '/api/v2/dags/{dag_id}/dagRuns');
    expect(since.body.dag_runs.map((r: { run_type: string }) => r.run_type)).toEqual(['manual']);
    expect((await get('/api/v2/dags/report/dagRuns', '/api/v2/dags/{dag_id}/dagRuns')).body).toEqual({ dag_runs: [], total_entries: 0 });
    expect((await get('/api/v2/dags/nope/dagRuns', '/api/v2/dags/{dag_id}/dagRuns')).status).toBe(404);
  });

  it('refuses a date without a time zone and an unknown order_by key', async () => {
    const naive = await get('/api/v2/dags/~/dagRuns?start_date_gte=2024-01-01T00:00:00', '/api/v2/dags/{dag_id}/dagRuns');
    expect(naive.status).toBe(422);
    expect(naive.body.detail).toMatchObject([{ loc: ['query', 'start_date_gte'], type: 'timezone_aware' }]);
    const order = await web.req('GET', '/api/v2/dags/~/dagRuns?order_by=-nope', { token });
    assertComponent('HTTPExceptionResponse', order.body);
    expect(order).toMatchObject({ status: 400, body: { detail: "Ordering with 'nope' is disallowed or the attribute does not exist on the model" } });
  });

  it('gets one run, and 404 with the run named for an unknown one', async () => {
    const one = await get(`/api/v2/dags/etl/dagRuns/${encodeURIComponent(manualRunId)}`, '/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}');
    expect(one.body).toMatchObject({ dag_run_id: manualRunId, state: 'queued', triggered_by: 'cli' });
    const missing = await get('/api/v2/dags/etl/dagRuns/nope', '/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}');
    expect(missing).toMatchObject({ status: 404, body: { detail: 'The DagRun with dag_id: `etl` and run_id: `nope` was not found' } });
  });

  it("lists a run's task instances, and across runs with ~, with stable ids", async () => {
    const runs = (await get('/api/v2/dags/etl/dagRuns?run_type=backfill', '/api/v2/dags/{dag_id}/dagRuns')).body.dag_runs;
    const runId = encodeURIComponent(runs[0].dag_run_id);
    const path = '/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances';
    const tis = await get(`/api/v2/dags/etl/dagRuns/${runId}/taskInstances?order_by=task_id`, path);
    expect(tis.body.total_entries).toBe(2);
    expect(tis.body.task_instances.map((t: { task_id: string; state: string; try_number: number }) => [t.task_id, t.state, t.try_number])).toEqual([
      ['extract', 'success', 1],
      ['load', 'success', 1],
    ]);
    expect(tis.body.task_instances[0]).toMatchObject({ dag_run_id: runs[0].dag_run_id, run_after: '2024-01-03T00:00:00Z', executor_config: '{}', pool: 'default_pool', operator: 'bash' });
    const again = await get(`/api/v2/dags/etl/dagRuns/${runId}/taskInstances?order_by=task_id`, path);
    expect(again.body.task_instances[0].id).toBe(tis.body.task_instances[0].id);
    const none = await get('/api/v2/dags/~/dagRuns/~/taskInstances?state=none', path);
    expect(none.body.task_instances.map((t: { task_id: string; state: null }) => [t.task_id, t.state]).sort()).toEqual([['extract', null], ['load', null]]);
    const paged = await get('/api/v2/dags/~/dagRuns/~/taskInstances?limit=1&offset=3&order_by=start_date', path);
    expect(paged.body.total_entries).toBe(4);
    expect(paged.body.task_instances).toHaveLength(1);
    expect((await get('/api/v2/dags/etl/dagRuns/nope/taskInstances', path)).status).toBe(404);
    expect((await get('/api/v2/dags/etl/dagRuns/~/taskInstances?order_by=secret', path)).status).toBe(400);
  });
});

describe('GET /api/v2/importErrors', () => {
  it("lists the broken file relative to the DAGs folder, with its problem", async () => {
    const r = await get('/api/v2/importErrors', '/api/v2/importErrors');
    expect(r.body.total_entries).toBe(1);
    expect(r.body.import_errors[0]).toMatchObject({ filename: 'broken.yaml', bundle_name: 'dags-folder' });
    expect(r.body.import_errors[0].stack_trace).toMatch(/schedule/);
    expect((await get('/api/v2/importErrors?filename_pattern=etl', '/api/v2/importErrors')).body.total_entries).toBe(0);
    const one = await get(`/api/v2/importErrors/${r.body.import_errors[0].import_error_id}`, '/api/v2/importErrors/{import_error_id}');
    expect(one.body).toEqual(r.body.import_errors[0]);
    const none = await get('/api/v2/importErrors/999999', '/api/v2/importErrors/{import_error_id}');
    expect(none).toMatchObject({ status: 404, body: { detail: 'The ImportError with import_error_id: `999999` was not found' } });
    expect((await get('/api/v2/importErrors/abc', '/api/v2/importErrors/{import_error_id}')).status).toBe(422);
  });
});

describe('GET /api/v2/eventLogs', () => {
  it('shows what the CLI and the API did, filtered by event and DAG, newest first', async () => {
    const path = '/api/v2/eventLogs';
    const all = await get(path, path);
    expect(all.status).toBe(200);
    expect(all.body.total_entries).toBeGreaterThan(0);
    await web.req('PATCH', '/api/v2/dags/etl', { token, json: { is_paused: true } });
    await web.req('PATCH', '/api/v2/dags/etl', { token, json: { is_paused: false } });
    const pauses = await get(`${path}?dag_id=etl&included_events=pause&included_events=unpause&order_by=-id`, path);
    expect(pauses.body.event_logs.map((e: { event: string; owner: string }) => [e.event, e.owner])).toEqual([['unpause', 'user'], ['pause', 'user']]);
    const others = await get(`${path}?excluded_events=pause&excluded_events=unpause&dag_id_pattern=etl`, path);
    expect(others.body.event_logs.every((e: { event: string; dag_id: string }) => !['pause', 'unpause'].includes(e.event) && e.dag_id === 'etl')).toBe(true);
    expect((await get(`${path}?after=2024-01-01T00:00:00`, path)).status).toBe(422);
    expect((await web.req('GET', `${path}?order_by=password_hash`, { token })).status).toBe(400);
    const latest = pauses.body.event_logs[0];
    expect((await get(`${path}/${latest.event_log_id}`, `${path}/{event_log_id}`)).body).toEqual(latest);
    expect((await get(`${path}/999999`, `${path}/{event_log_id}`)).body).toEqual({ detail: 'The Event Log with id: `999999` not found' });
  });
});

describe('errors', () => {
  it('caps request bodies at 1 MiB with 413', async () => {
    const big = JSON.stringify({ is_paused: true, pad: 'x'.repeat(1024 * 1024) });
    const r = await web.req('PATCH', '/api/v2/dags/report', { token, body: big, headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(413);
    expect(r.body.detail).toMatch(/larger than 1048576 bytes/);
  });

  it('answers 500 with no stack, SQL or path when the database fails under a request', async () => {
    const ws = workspace();
    const broken = await startWebApp(ws, { WINDSOCK_WEB_LOGIN_RATE: '1000' });
    try {
      const t = await broken.userToken('viewer');
      broken.store.db.exec('DROP TABLE import_error');
      const r = await broken.req('GET', '/api/v2/importErrors', { token: t });
      expect(r.status).toBe(500);
      expect(r.body).toEqual({ detail: 'Internal Server Error' });
      expect(r.text).not.toMatch(/import_error|SELECT|at |\//);
    } finally {
      await broken.close();
    }
  });
});
