// API v2's DAG endpoints over real HTTP (in-process server, real SQLite, DAGs parsed by the engine): the bulk
// PATCH /dags with its filters and roles, DELETE /dags/{id} and the DAG coming back on the next parse, details,
// tasks, sources (JSON and text), stats, tags and warnings; every answer checked against Airflow's spec.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Loaded } from '../../cli/context.js';
import { dag, workspace, type Workspace } from '../support/cli.js';
import { assertComponent, assertSpec } from '../support/openapi.js';
import { startWebApp, type WebApp } from '../support/web.js';
import { finishAttempt, loadWorkspace, manualRun, specReq, startAttempt } from '../support/api-state.js';

const FILES = {
  'etl.yaml': `etl:
  schedule: "@daily"
  catchup: false
  tags: [team-a, daily]
  doc_md: "Loads the *daily* extract"
  dagrun_timeout_sec: 5400
  timezone: Europe/Paris
  params: {limit: 10}
  default_args: {start_date: 2024-01-01, owner: alice}
  tasks:
    - {task_id: extract, operator: bash, bash_command: 'echo extract', retries: 2, retry_delay_sec: 300, retry_exponential_backoff: true, execution_timeout_sec: 90061, pool: ghost_pool}
    - {task_id: load, operator: empty, dependencies: [extract], trigger_rule: all_done}
    - {task_id: audit, operator: empty, dependencies: [extract]}
`,
  'report.yaml': `report:
  schedule: null
  tags: [team-b, weekly]
  default_args: {start_date: 2024-01-01, owner: bob}
  tasks:
    - {task_id: build, operator: empty}
`,
  'ops.yaml': `ops_daily:
  schedule: null
  tags: [team-a]
  default_args: {start_date: 2024-01-01, owner: carol}
  tasks:
    - {task_id: check, operator: empty}
`,
  'doomed.yaml': `doomed:
  schedule: null
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: only, operator: empty}
`,
  'busy.yaml': `busy:
  schedule: null
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: slow, operator: empty}
`,
};

let ws: Workspace;
let web: WebApp;
let l: Loaded;
let user: string;
let viewer: string;

beforeAll(async () => {
  ws = workspace(FILES);
  web = await startWebApp(ws, { WINDSOCK_WEB_LOGIN_RATE: '1000' });
  l = await loadWorkspace(ws, web.store);
  manualRun(l, 'etl', 'manual__1', '2024-01-02T00:00:00Z');
  manualRun(l, 'etl', 'manual__2', '2024-01-03T00:00:00Z');
  web.store.runs.setState('etl', 'manual__1', 'success');
  manualRun(l, 'report', 'r1', '2024-01-02T00:00:00Z');
  user = await web.userToken('user');
  viewer = await web.userToken('viewer');
}, 120_000);
afterAll(() => web?.close());

const call = (method: string, url: string, template: string, o: Parameters<WebApp['req']>[2] = {}) => specReq(web, method, url, template, { token: user, ...o });

const pausedIds = () => web.store.dags.list().filter((d) => d.is_paused === 1).map((d) => d.dag_id).sort();

describe('PATCH /api/v2/dags (bulk)', () => {
  it('pauses the DAGs the filters select (dag_id_pattern with | alternatives, tags), answers them, and logs each change', async () => {
    const r = await call('PATCH', '/api/v2/dags?dag_id_pattern=ops|repo', '/api/v2/dags', { json: { is_paused: true } });
    expect(r.status).toBe(200);
    expect(r.body.total_entries).toBe(2);
    expect(r.body.dags.map((d: { dag_id: string; is_paused: boolean }) => [d.dag_id, d.is_paused])).toEqual([['ops_daily', true], ['report', true]]);
    expect(pausedIds()).toEqual(['ops_daily', 'report']);
    const events = web.store.events.list({ event: 'pause' }).map((e) => [e.dag_id, e.owner]);
    expect(events).toEqual([['ops_daily', 'user'], ['report', 'user']]);

    const byTag = await call('PATCH', '/api/v2/dags?tags=team-a&paused=true', '/api/v2/dags', { json: { is_paused: false } });
    expect(byTag.body.dags.map((d: { dag_id: string }) => d.dag_id)).toEqual(['ops_daily']);
    expect(pausedIds()).toEqual(['report']);
  });

  it('changes only the page limit / offset select, and says how many matched', async () => {
    const r = await call('PATCH', '/api/v2/dags?dag_id_pattern=~&limit=1&offset=1&update_mask=is_paused', '/api/v2/dags', { json: { is_paused: true } });
    expect(r.body.total_entries).toBe(5);
    expect(r.body.dags.map((d: { dag_id: string }) => d.dag_id)).toEqual(['doomed']);
    expect(pausedIds()).toEqual(['doomed', 'report']);
    await call('PATCH', '/api/v2/dags?dag_id_pattern=doomed|report', '/api/v2/dags', { json: { is_paused: false } });
    expect(pausedIds()).toEqual([]);
  });

  it('refuses a viewer (403 Forbidden) and changes nothing: a bulk endpoint is no way around the role', async () => {
    const r = await call('PATCH', '/api/v2/dags?dag_id_pattern=~', '/api/v2/dags', { token: viewer, json: { is_paused: true } });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ detail: 'Forbidden' });
    expect(pausedIds()).toEqual([]);
  });

  it('answers bad input with the spec status and a detail naming the field, changing nothing', async () => {
    const mask = await call('PATCH', '/api/v2/dags?update_mask=description', '/api/v2/dags', { json: { is_paused: true } });
    expect(mask.status).toBe(400);
    expect(mask.body.detail).toBe('Only `is_paused` field can be updated through the REST API');
    const extra = await call('PATCH', '/api/v2/dags', '/api/v2/dags', { json: { is_paused: true, owners: ['x'] } });
    expect(extra.status).toBe(422);
    expect(extra.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'owners'], type: 'extra_forbidden' })]);
    const type = await call('PATCH', '/api/v2/dags', '/api/v2/dags', { json: { is_paused: 'yes' } });
    expect(type.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'is_paused'], type: 'bool_type' })]);
    const limit = await call('PATCH', '/api/v2/dags?limit=-1', '/api/v2/dags', { json: { is_paused: true } });
    expect(limit.status).toBe(422);
    expect(limit.body.detail[0].loc).toEqual(['query', 'limit']);
    const notJson = await call('PATCH', '/api/v2/dags', '/api/v2/dags', { headers: { 'content-type': 'application/json' }, json: undefined });
    expect(notJson.status).toBe(422);
    expect(pausedIds()).toEqual([]);
  });
});

describe('DELETE /api/v2/dags/{dag_id}', () => {
  it('removes the DAG with its runs, task instances, XComs and warnings, keeps the audit log, and the next parse brings it back', async () => {
    const run = manualRun(l, 'doomed', 'd1', '2024-01-02T00:00:00Z');
    web.store.xcom.push('doomed', run.run_id, 'only', 'return_value', { n: 1 });
    web.store.dagWarnings.replace('nonexistent pool', [{ dag_id: 'doomed', warning_type: 'nonexistent pool', message: 'test' }, { dag_id: 'etl', warning_type: 'nonexistent pool', message: 'kept' }]);
    const viewerTry = await call('DELETE', '/api/v2/dags/doomed', '/api/v2/dags/{dag_id}', { token: viewer });
    expect(viewerTry.status).toBe(403);

    const r = await call('DELETE', '/api/v2/dags/doomed', '/api/v2/dags/{dag_id}');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({});
    const count = (sql: string) => web.store.db.prepare(sql).pluck().get('doomed') as number;
    expect(count('SELECT count(*) FROM dag_run WHERE dag_id = ?')).toBe(0);
    expect(count('SELECT count(*) FROM task_instance WHERE dag_id = ?')).toBe(0);
    expect(count('SELECT count(*) FROM xcom WHERE dag_id = ?')).toBe(0);
    expect(count('SELECT count(*) FROM dag_warning WHERE dag_id = ?')).toBe(0);
    expect(count("SELECT count(*) FROM log WHERE dag_id = ? AND event = 'dag_run_created'")).toBe(1);
    expect(web.store.events.list({ event: 'delete_dag' }).map((e) => [e.dag_id, e.owner])).toEqual([['doomed', 'user']]);
    expect(web.store.dagWarnings.list('etl')).toHaveLength(1);
    expect((await call('GET', '/api/v2/dags/doomed', '/api/v2/dags/{dag_id}')).status).toBe(404);
    expect(web.store.folderParses.signature()).toBeUndefined();

    // the file is still there: parsing the folder again (as the scheduler or the next `dag list` does) restores it
    l = await loadWorkspace(ws, web.store);
    const back = await call('GET', '/api/v2/dags/doomed', '/api/v2/dags/{dag_id}');
    expect(back.status).toBe(200);
    expect(web.store.runs.list({ dagId: 'doomed' })).toEqual([]);
  });

  it('does the same from the command line: `dag delete --yes` through the same service', async () => {
    manualRun(l, 'doomed', 'd2', '2024-01-03T00:00:00Z');
    const r = await dag(ws, ['delete', 'doomed', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^deleted DAG 'doomed' \(\d+ rows\); its file stays/);
    expect(web.store.dags.get('doomed')).toBeUndefined();
    expect(web.store.runs.list({ dagId: 'doomed' })).toEqual([]);
    l = await loadWorkspace(ws, web.store);
  }, 60_000);

  it('refuses (409) while a task instance of the DAG is running, and deletes nothing', async () => {
    manualRun(l, 'busy', 'b1', '2024-01-02T00:00:00Z');
    const { log } = startAttempt(web.store, ws.home, { dagId: 'busy', runId: 'b1', taskId: 'slow' });
    const r = await web.req('DELETE', '/api/v2/dags/busy', { token: user });
    expect(r.status).toBe(409);
    assertComponent('HTTPExceptionResponse', r.body);
    expect(r.body.detail).toMatch(/^Task instances of dag with id: 'busy' are still running \(1 queued or running task instance\(s\)\)/);
    expect(web.store.runs.get('busy', 'b1')).toBeDefined();
    await finishAttempt(web.store, { dagId: 'busy', runId: 'b1', taskId: 'slow' }, log, 'success');
  });

  it('answers 404 for a DAG it does not know', async () => {
    const r = await call('DELETE', '/api/v2/dags/nope', '/api/v2/dags/{dag_id}');
    expect(r.status).toBe(404);
    expect(r.body.detail).toBe("DAG with dag_id: 'nope' not found");
  });
});

describe('GET /api/v2/dags/{dag_id}/details', () => {
  it('adds what the parsed DAG says to its DAGResponse', async () => {
    const r = await call('GET', '/api/v2/dags/etl/details', '/api/v2/dags/{dag_id}/details', { token: viewer });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      dag_id: 'etl', catchup: false, dag_run_timeout: 'PT1H30M', doc_md: 'Loads the *daily* extract', timezone: 'Europe/Paris',
      params: { limit: 10 }, concurrency: 16, max_active_tasks: 16, render_template_as_native_obj: false, active_runs_count: 1,
      owners: ['alice'], tags: [{ name: 'team-a', dag_id: 'etl', dag_display_name: 'etl' }, { name: 'daily', dag_id: 'etl', dag_display_name: 'etl' }],
    });
    expect(r.body.start_date).toBe('2023-12-31T23:00:00Z'); // midnight in Paris
  });

  it('answers 404 for an unknown DAG and for one whose file no longer defines it', async () => {
    expect((await call('GET', '/api/v2/dags/nope/details', '/api/v2/dags/{dag_id}/details')).status).toBe(404);
    web.store.db.prepare(`INSERT INTO dag (dag_id, is_active, fileloc) VALUES ('gone', 0, ?)`).run(path.join(ws.dags, 'gone.yaml'));
    const gone = await call('GET', '/api/v2/dags/gone/details', '/api/v2/dags/{dag_id}/details');
    expect(gone.status).toBe(404);
    expect(gone.body.detail).toMatch(/not defined by any file of the DAGs folder/);
  });
});

describe('GET /api/v2/dags/{dag_id}/tasks', () => {
  it('lists the tasks with their settings in Airflow 3.2 shapes, ordered by task_id', async () => {
    const r = await call('GET', '/api/v2/dags/etl/tasks', '/api/v2/dags/{dag_id}/tasks', { token: viewer });
    expect(r.body.total_entries).toBe(3);
    expect(r.body.tasks.map((t: { task_id: string }) => t.task_id)).toEqual(['audit', 'extract', 'load']);
    const extract = r.body.tasks[1];
    expect(extract).toMatchObject({
      task_id: 'extract', operator_name: 'bash', owner: 'alice', retries: 2, pool: 'ghost_pool', pool_slots: 1, trigger_rule: 'all_success',
      retry_delay: { __type: 'TimeDelta', days: 0, seconds: 300, microseconds: 0 },
      execution_timeout: { __type: 'TimeDelta', days: 1, seconds: 3661, microseconds: 0 },
      retry_exponential_backoff: 2, depends_on_past: false, wait_for_downstream: false, extra_links: [], is_mapped: false,
      downstream_task_ids: ['load', 'audit'],
    });
    expect(r.body.tasks[2]).toMatchObject({ task_id: 'load', trigger_rule: 'all_done', retry_exponential_backoff: 0, execution_timeout: null });
  });

  it('orders by any scalar field, descending with -, and answers 400 for another', async () => {
    const ids = async (q: string) => (await call('GET', `/api/v2/dags/etl/tasks?order_by=${q}`, '/api/v2/dags/{dag_id}/tasks')).body.tasks.map((t: { task_id: string }) => t.task_id);
    expect(await ids('-task_id')).toEqual(['load', 'extract', 'audit']);
    expect(await ids('-retries')).toEqual(['extract', 'audit', 'load']);
    const bad = await call('GET', '/api/v2/dags/etl/tasks?order_by=retry_delay', '/api/v2/dags/{dag_id}/tasks');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/^Ordering tasks by 'retry_delay' is not supported: use one of task_id, /);
  });

  it('gets one task, and 404 for an unknown task or DAG', async () => {
    const r = await call('GET', '/api/v2/dags/etl/tasks/load', '/api/v2/dags/{dag_id}/tasks/{task_id}');
    expect(r.body).toMatchObject({ task_id: 'load', operator_name: 'empty', downstream_task_ids: [] });
    const task = await call('GET', '/api/v2/dags/etl/tasks/nope', '/api/v2/dags/{dag_id}/tasks/{task_id}');
    expect(task.status).toBe(404);
    expect(task.body.detail).toBe("Task with id: 'nope' not found in DAG 'etl'");
    expect((await call('GET', '/api/v2/dags/nope/tasks', '/api/v2/dags/{dag_id}/tasks')).status).toBe(404);
  });
});

describe('GET /api/v2/dagSources/{dag_id}', () => {
  const text = () => fs.readFileSync(path.join(ws.dags, 'report.yaml'), 'utf8');

  it('answers JSON by default and for Accept: application/json, the file text for Accept: text/plain', async () => {
    for (const headers of [{}, { accept: 'application/json' }, { accept: '*/*' }] as Record<string, string>[]) {
      const r = await call('GET', '/api/v2/dagSources/report', '/api/v2/dagSources/{dag_id}', { token: viewer, headers });
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      expect(r.body).toEqual({ content: text(), dag_id: 'report', dag_display_name: 'report', version_number: null });
    }
    const plain = await web.req('GET', '/api/v2/dagSources/report', { token: viewer, headers: { accept: 'text/plain' } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(plain.text).toBe(text());
  });

  it('answers 406 for another Accept, 404 for an unknown DAG or a version, 422 for a bad version_number', async () => {
    const png = await call('GET', '/api/v2/dagSources/report', '/api/v2/dagSources/{dag_id}', { headers: { accept: 'image/png' } });
    expect(png.status).toBe(406);
    expect(png.body.detail).toBe('Only application/json or text/plain is supported');
    expect((await call('GET', '/api/v2/dagSources/nope', '/api/v2/dagSources/{dag_id}')).status).toBe(404);
    const version = await call('GET', '/api/v2/dagSources/report?version_number=2', '/api/v2/dagSources/{dag_id}');
    expect(version.status).toBe(404);
    expect(version.body.detail).toMatch(/windsock keeps no DAG versions/);
    expect((await call('GET', '/api/v2/dagSources/report?version_number=x', '/api/v2/dagSources/{dag_id}')).status).toBe(422);
  });

  it('never reads a file outside the DAGs folder, whatever the dag row says', async () => {
    fs.writeFileSync(path.join(ws.home, 'outside.yaml'), 'secret: yes\n');
    web.store.db.prepare(`INSERT INTO dag (dag_id, fileloc) VALUES ('escaper', ?)`).run(path.join(ws.dags, '..', 'home', 'outside.yaml'));
    const r = await call('GET', '/api/v2/dagSources/escaper', '/api/v2/dagSources/{dag_id}');
    expect(r.status).toBe(404);
    expect(r.text).not.toContain('secret');
  });
});

describe('GET /api/v2/dagStats', () => {
  it('counts runs per state for each DAG with runs, every state listed; dag_ids narrows it', async () => {
    const r = await call('GET', '/api/v2/dagStats', '/api/v2/dagStats', { token: viewer });
    const etl = r.body.dags.find((d: { dag_id: string }) => d.dag_id === 'etl');
    expect(etl).toEqual({ dag_id: 'etl', dag_display_name: 'etl', stats: [{ state: 'queued', count: 1 }, { state: 'running', count: 0 }, { state: 'success', count: 1 }, { state: 'failed', count: 0 }] });
    expect(r.body.dags.map((d: { dag_id: string }) => d.dag_id)).not.toContain('ops_daily');
    const some = await call('GET', '/api/v2/dagStats?dag_ids=report&dag_ids=ops_daily', '/api/v2/dagStats');
    expect(some.body).toEqual({ dags: [{ dag_id: 'report', dag_display_name: 'report', stats: expect.any(Array) }], total_entries: 1 });
  });
});

describe('GET /api/v2/dagTags', () => {
  it('lists distinct tags by name, filtered by tag_name_pattern, ordered and paged', async () => {
    const tags = async (q = '') => (await call('GET', `/api/v2/dagTags${q}`, '/api/v2/dagTags', { token: viewer })).body;
    expect(await tags()).toEqual({ tags: ['daily', 'team-a', 'team-b', 'weekly'], total_entries: 4 });
    expect(await tags('?tag_name_pattern=team')).toEqual({ tags: ['team-a', 'team-b'], total_entries: 2 });
    expect(await tags('?tag_name_pattern=dai|week')).toEqual({ tags: ['daily', 'weekly'], total_entries: 2 });
    expect(await tags('?order_by=-name&limit=2&offset=1')).toEqual({ tags: ['team-b', 'team-a'], total_entries: 4 });
    const bad = await web.req('GET', '/api/v2/dagTags?order_by=dag_id', { token: viewer });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/Ordering with 'dag_id' is disallowed/);
  });
});

describe('GET /api/v2/dagWarnings', () => {
  it("lists the table's warnings under Airflow 3's type name, filtered by DAG and type", async () => {
    l.reparse();
    const r = await call('GET', '/api/v2/dagWarnings', '/api/v2/dagWarnings', { token: viewer });
    expect(r.body.total_entries).toBe(1);
    expect(r.body.dag_warnings[0]).toMatchObject({ dag_id: 'etl', dag_display_name: 'etl', warning_type: 'non-existent pool' });
    expect(r.body.dag_warnings[0].message).toMatch(/ghost_pool/);
    expect((await call('GET', '/api/v2/dagWarnings?warning_type=non-existent%20pool&dag_id=etl', '/api/v2/dagWarnings')).body.total_entries).toBe(1);
    expect((await call('GET', '/api/v2/dagWarnings?dag_id=report', '/api/v2/dagWarnings')).body.total_entries).toBe(0);
    const bad = await call('GET', '/api/v2/dagWarnings?warning_type=nonexistent%20pool', '/api/v2/dagWarnings');
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0]).toMatchObject({ loc: ['query', 'warning_type'], type: 'enum' });
  });
});

describe('API v1 (Airflow 2) views of a parsed DAG', () => {
  /** GET below /api/v1 as the user, checked against openapi-v1.yaml's operation `template`. */
  async function v1(url: string, template: string, headers: Record<string, string> = {}) {
    const r = await web.req('GET', `/api/v1${url}`, { token: user, headers });
    if (r.headers.get('content-type')?.startsWith('application/json') || r.status >= 400) assertSpec(template, 'get', r.status, r.body, 'v1');
    return r;
  }

  it("answers details, tasks and one task in v1's shapes (TimeDelta timeouts, class_ref, a boolean backoff)", async () => {
    const details = await v1('/dags/etl/details', '/dags/{dag_id}/details');
    expect(details.status).toBe(200);
    expect(details.body).toMatchObject({
      dag_id: 'etl', is_active: true, catchup: false, timezone: 'Europe/Paris', doc_md: 'Loads the *daily* extract', params: { limit: 10 },
      dag_run_timeout: { __type: 'TimeDelta', days: 0, seconds: 5400, microseconds: 0 }, schedule_interval: { __type: 'CronExpression', value: '@daily' },
      start_date: '2023-12-31T23:00:00Z', // 2024-01-01 in the DAG's time zone
    });
    expect(details.body).not.toHaveProperty('asset_expression');

    const tasks = await v1('/dags/etl/tasks', '/dags/{dag_id}/tasks');
    expect(tasks.body.total_entries).toBe(3);
    expect(tasks.body.tasks.map((t: { task_id: string }) => t.task_id)).toEqual(['audit', 'extract', 'load']);
    const one = await v1('/dags/etl/tasks/extract', '/dags/{dag_id}/tasks/{task_id}');
    expect(one.body).toMatchObject({
      task_id: 'extract', owner: 'alice', retries: 2, pool: 'ghost_pool', retry_exponential_backoff: true, class_ref: { class_name: 'bash' },
      execution_timeout: { __type: 'TimeDelta', days: 1, seconds: 3661, microseconds: 0 }, retry_delay: { __type: 'TimeDelta', days: 0, seconds: 300, microseconds: 0 },
      downstream_task_ids: ['load', 'audit'], extra_links: [],
    });
    expect(one.body).not.toHaveProperty('operator_name');
    expect((await v1('/dags/etl/tasks/nope', '/dags/{dag_id}/tasks/{task_id}')).status).toBe(404);
  });

  it("serves the DAG's file by its file_token, as JSON and as text, and 404 for a token of no DAG", async () => {
    const token = (await v1('/dags/report', '/dags/{dag_id}')).body.file_token;
    const json = await v1(`/dagSources/${token}`, '/dagSources/{file_token}');
    expect(json.body).toEqual({ content: FILES['report.yaml'] });
    const text = await web.req('GET', `/api/v1/dagSources/${token}`, { token: user, headers: { accept: 'text/plain' } });
    expect(text.status).toBe(200);
    expect(text.text).toBe(FILES['report.yaml']);
    const none = await v1(`/dagSources/${Buffer.from('no_such_dag').toString('base64url')}`, '/dagSources/{file_token}');
    expect(none.status).toBe(404);
  });

  it("answers a task instance's links and the plugins in v1's collections", async () => {
    const links = await v1('/dags/etl/dagRuns/manual__1/taskInstances/extract/links', '/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/links');
    expect(links.body).toEqual({ extra_links: [] });
    const plugins = await v1('/plugins', '/plugins');
    expect(plugins.body.total_entries).toBe(plugins.body.plugins.length);
    for (const p of plugins.body.plugins) expect(p).toMatchObject({ name: expect.any(String), hooks: [], ti_deps: [] });
  });
});
