// API v2's pools, variables, config, jobs, plugins and providers over real HTTP, in-process: every answer checked
// against Airflow's spec, the roles of the simple auth manager, the bulk actions, secrets masked, and the same
// services behind `dag pools` / `dag variables` and the templates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dag, workspace, type Workspace } from '../support/cli.js';
import { assertSpec } from '../support/openapi.js';
import { startWebApp, TEST_SECRET, type WebApp } from '../support/web.js';
import { setPool } from '../../engine/service/pools.js';
import { exportVariables, importVariables, setVariable } from '../../engine/service/variables.js';
import { templateContext } from '../../engine/template/index.js';
import { render } from '../unit/template/helpers.js';

let ws: Workspace;
let web: WebApp;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  ws = workspace({
    'etl.yaml': 'etl:\n  schedule: "@daily"\n  default_args: {start_date: 2024-01-01}\n  tasks:\n    - {task_id: t, operator: empty}\n',
    'pooled.yaml': 'pooled:\n  schedule: null\n  default_args: {start_date: 2024-01-01}\n  tasks:\n    - {task_id: t, operator: empty, pool: api}\n',
  });
  process.env.OPENAQ_API_KEY = 'openaq-key-that-must-not-leak';
  web = await startWebApp(ws, { WINDSOCK_WEB_LOGIN_RATE: '1000' });
  delete process.env.OPENAQ_API_KEY;
  for (const role of ['viewer', 'user', 'op', 'admin'] as const) tokens[role] = await web.userToken(role);
}, 60_000);
afterAll(() => web?.close());

/** A request as `role`, its answer checked against the spec's operation `template`. */
async function call(role: string, method: string, path: string, template: string, json?: unknown, headers?: Record<string, string>) {
  const r = await web.req(method, path, { token: tokens[role], json, headers });
  if ((r.headers.get('content-type') ?? '').includes('json') || r.status === 204) assertSpec(template, method.toLowerCase(), r.status, r.body);
  return r;
}

describe('pools', () => {
  it('lists default_pool for a viewer, with every slot count', async () => {
    const r = await call('viewer', 'GET', '/api/v2/pools', '/api/v2/pools');
    expect(r.status).toBe(200);
    expect(r.body.total_entries).toBe(1);
    expect(r.body.pools[0]).toMatchObject({ name: 'default_pool', slots: 128, open_slots: 128, occupied_slots: 0, running_slots: 0, queued_slots: 0, include_deferred: false });
  });

  it('lets op create, change and delete a pool, but not user; counts the slots its task instances hold', async () => {
    expect((await call('user', 'POST', '/api/v2/pools', '/api/v2/pools', { name: 'api', slots: 3 })).status).toBe(403);
    const created = await call('op', 'POST', '/api/v2/pools', '/api/v2/pools', { name: 'api', slots: 3, description: 'the API' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'api', slots: 3, description: 'the API', open_slots: 3 });
    expect((await call('op', 'POST', '/api/v2/pools', '/api/v2/pools', { name: 'api', slots: 1 })).status).toBe(409);

    // Two task instances in the pool: one running, one queued (as the run loop leaves them).
    web.store.db.prepare(`INSERT INTO dag_run (dag_id, run_id, run_type, logical_date, state) VALUES ('etl', 'r1', 'manual', '2024-01-01T00:00:00.000Z', 'running')`).run();
    const ti = web.store.db.prepare(`INSERT INTO task_instance (dag_id, run_id, task_id, state, pool, pool_slots) VALUES ('etl', 'r1', ?, ?, 'api', ?)`);
    ti.run('a', 'running', 1);
    ti.run('b', 'queued', 2);
    const got = await call('viewer', 'GET', '/api/v2/pools/api', '/api/v2/pools/{pool_name}');
    expect(got.body).toMatchObject({ running_slots: 1, queued_slots: 2, occupied_slots: 3, open_slots: 0 });

    const patched = await call('op', 'PATCH', '/api/v2/pools/api?update_mask=slots', '/api/v2/pools/{pool_name}', { slots: 5, description: 'ignored by the mask' });
    expect(patched.body).toMatchObject({ slots: 5, open_slots: 2, description: 'the API' });
    const renamed = await call('op', 'PATCH', '/api/v2/pools/api', '/api/v2/pools/{pool_name}', { pool: 'api2' });
    expect(renamed.body.name).toBe('api2');
    expect((await call('viewer', 'GET', '/api/v2/pools/api', '/api/v2/pools/{pool_name}')).status).toBe(404);

    expect((await call('op', 'DELETE', '/api/v2/pools/api2', '/api/v2/pools/{pool_name}')).status).toBe(204);
    // The DAG whose task uses pool `api` is warned about again, as after `dag pools delete`.
    expect(web.store.dagWarnings.list('pooled').map((w) => w.warning_type)).toEqual(['nonexistent pool']);
    const gone = await call('op', 'DELETE', '/api/v2/pools/api2', '/api/v2/pools/{pool_name}');
    expect(gone.status).toBe(404);
    expect(gone.body.detail).toBe('The Pool with name: `api2` was not found');
    const events = web.store.db.prepare(`SELECT event, owner FROM log WHERE event LIKE 'pool_%' ORDER BY id`).all();
    expect(events).toEqual([{ event: 'pool_create', owner: 'op' }, { event: 'pool_update', owner: 'op' }, { event: 'pool_update', owner: 'op' }, { event: 'pool_delete', owner: 'op' }]);
  });

  it('keeps default_pool: no delete, no rename, only its slots change', async () => {
    const del = await call('admin', 'DELETE', '/api/v2/pools/default_pool', '/api/v2/pools/{pool_name}');
    expect(del.status).toBe(400);
    expect(del.body.detail).toBe("Default Pool can't be deleted");
    expect((await call('op', 'PATCH', '/api/v2/pools/default_pool?update_mask=pool', '/api/v2/pools/{pool_name}', { pool: 'other' })).status).toBe(400);
    expect((await call('op', 'PATCH', '/api/v2/pools/default_pool', '/api/v2/pools/{pool_name}', { pool: 'other' })).status).toBe(400);
    const resized = await call('op', 'PATCH', '/api/v2/pools/default_pool?update_mask=slots', '/api/v2/pools/{pool_name}', { slots: 64 });
    expect(resized.body).toMatchObject({ name: 'default_pool', slots: 64 });
  });

  it('refuses bad bodies with 422 at the field: a name that could escape, unknown fields, slots below -1', async () => {
    const bad = await call('op', 'POST', '/api/v2/pools', '/api/v2/pools', { name: '../x', slots: 1 });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0]).toMatchObject({ loc: ['body', 'name'], type: 'value_error' });
    expect(bad.body.detail[0].msg).toMatch(/pool '\.\.\/x' contains '\/'/);
    const extra = await call('op', 'POST', '/api/v2/pools', '/api/v2/pools', { name: 'x', slots: 1, colour: 'red' });
    expect(extra.body.detail).toEqual([{ loc: ['body', 'colour'], msg: 'Extra inputs are not permitted', type: 'extra_forbidden', input: 'red' }]);
    expect((await call('op', 'POST', '/api/v2/pools', '/api/v2/pools', { name: 'x', slots: -2 })).body.detail[0].type).toBe('greater_than_equal');
    expect((await call('op', 'POST', '/api/v2/pools', '/api/v2/pools', { name: 'x' })).body.detail[0]).toMatchObject({ loc: ['body', 'slots'], type: 'missing' });
    // Airflow answers an unknown order_by 400 everywhere, though this operation's spec does not list it.
    expect((await web.req('GET', '/api/v2/pools?order_by=colour', { token: tokens.op })).body.detail).toBe("Ordering with 'colour' is disallowed or the attribute does not exist on the model");
    expect(web.store.pools.get('x')).toBeUndefined();
  });

  it('applies bulk actions each as a whole: a failing one changes nothing, the others apply', async () => {
    setPool(web.store, 'b1', 1); // what `dag pools set b1 1` does
    const r = await call('op', 'PATCH', '/api/v2/pools', '/api/v2/pools', {
      actions: [
        { action: 'create', entities: [{ name: 'b1', slots: 9 }, { name: 'b2', slots: 2 }] },
        { action: 'create', entities: [{ name: 'b1', slots: 9 }, { name: 'b3', slots: 3 }], action_on_existence: 'skip' },
        { action: 'update', entities: [{ name: 'b3', slots: 4 }, { name: 'nope', slots: 1 }] },
        { action: 'update', entities: [{ name: 'b3', slots: 5 }, { name: 'nope', slots: 1 }], action_on_non_existence: 'skip' },
        { action: 'delete', entities: ['b1', 'default_pool'] },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.create).toEqual({ success: ['b3'], errors: [{ error: "The pools with these pool names: {'b1'} already exist.", status_code: 409 }] });
    expect(r.body.update).toEqual({ success: ['b3'], errors: [{ error: "The pools with these pool names: {'nope'} were not found.", status_code: 404 }] });
    expect(r.body.delete).toEqual({ success: [], errors: [{ error: "Default Pool can't be deleted", status_code: 400 }] });
    expect(web.store.pools.slots('b1')).toBe(1); // neither overwritten nor deleted
    expect(web.store.pools.get('b2')).toBeUndefined();
    expect(web.store.pools.slots('b3')).toBe(5);
    const over = await call('op', 'PATCH', '/api/v2/pools', '/api/v2/pools', { actions: [{ action: 'create', entities: [{ name: 'b1', slots: 7 }], action_on_existence: 'overwrite' }, { action: 'delete', entities: [{ name: 'b3', slots: 0 }] }] });
    expect(over.body.create.success).toEqual(['b1']);
    expect(over.body.delete.success).toEqual(['b3']);
    expect(web.store.pools.slots('b1')).toBe(7);
    expect((await call('user', 'PATCH', '/api/v2/pools', '/api/v2/pools', { actions: [{ action: 'delete', entities: ['b1'] }] })).status).toBe(403);
    expect((await call('op', 'PATCH', '/api/v2/pools', '/api/v2/pools', { actions: [{ action: 'rename', entities: [] }] })).status).toBe(422);
  });
});

describe('variables', () => {
  it('are op-only, even to read', async () => {
    for (const role of ['viewer', 'user']) {
      expect((await call(role, 'GET', '/api/v2/variables', '/api/v2/variables')).status).toBe(403);
      expect((await call(role, 'POST', '/api/v2/variables', '/api/v2/variables', { key: 'k', value: 'v' })).status).toBe(403);
    }
  });

  it('create, get, patch, rename and delete; values of secret-looking keys answered ***', async () => {
    const made = await call('op', 'POST', '/api/v2/variables', '/api/v2/variables', { key: 'bucket', value: 'aq-raw', description: 'raw zone' });
    expect(made.status).toBe(201);
    expect(made.body).toEqual({ key: 'bucket', value: 'aq-raw', description: 'raw zone', is_encrypted: false, team_name: null });
    expect((await call('op', 'POST', '/api/v2/variables', '/api/v2/variables', { key: 'bucket', value: 'x' })).status).toBe(409);
    const secret = await call('op', 'POST', '/api/v2/variables', '/api/v2/variables', { key: 'DB_PASSWORD', value: 'hunter22' });
    expect(secret.body.value).toBe('***');
    const nested = await call('op', 'POST', '/api/v2/variables', '/api/v2/variables', { key: 'service', value: { host: 'h', api_key: 'k-123' } });
    expect(JSON.parse(nested.body.value)).toEqual({ host: 'h', api_key: '***' });
    const list = await call('admin', 'GET', '/api/v2/variables?order_by=key', '/api/v2/variables');
    expect(list.body.variables.map((v: { key: string }) => v.key)).toEqual(['DB_PASSWORD', 'bucket', 'service']);
    expect(list.text).not.toMatch(/hunter22|k-123/);
    expect(web.store.variables.value('DB_PASSWORD')).toBe('hunter22'); // stored as given, only hidden in answers

    const patched = await call('op', 'PATCH', '/api/v2/variables/bucket?update_mask=value', '/api/v2/variables/{variable_key}', { key: 'bucket', value: 'aq-raw-2', description: 'not applied' });
    expect(patched.body).toMatchObject({ value: 'aq-raw-2', description: 'raw zone' });
    expect((await call('op', 'PATCH', '/api/v2/variables/bucket', '/api/v2/variables/{variable_key}', { key: 'other', value: 'v' })).status).toBe(400);
    const renamed = await call('op', 'PATCH', '/api/v2/variables/bucket?update_mask=key', '/api/v2/variables/{variable_key}', { key: 'raw_bucket', value: 'ignored' });
    expect(renamed.body).toMatchObject({ key: 'raw_bucket', value: 'aq-raw-2' });
    expect((await call('op', 'GET', '/api/v2/variables/bucket', '/api/v2/variables/{variable_key}')).status).toBe(404);
    expect((await call('op', 'DELETE', '/api/v2/variables/service', '/api/v2/variables/{variable_key}')).status).toBe(204);
    expect((await call('op', 'DELETE', '/api/v2/variables/service', '/api/v2/variables/{variable_key}')).status).toBe(404);
    const missing = await call('op', 'POST', '/api/v2/variables', '/api/v2/variables', { key: 'k' });
    expect(missing.body.detail).toEqual([{ loc: ['body', 'value'], msg: 'Field required', type: 'missing' }]);
    expect((await call('op', 'POST', '/api/v2/variables', '/api/v2/variables', { key: 'a b', value: 1 })).body.detail[0].loc).toEqual(['body', 'key']);
  });

  it('bulk: create with overwrite, update, delete', async () => {
    const r = await call('op', 'PATCH', '/api/v2/variables', '/api/v2/variables', {
      actions: [
        { action: 'create', entities: [{ key: 'raw_bucket', value: 'v3' }, { key: 'city', value: 'Paris' }], action_on_existence: 'overwrite' },
        { action: 'update', entities: [{ key: 'city', value: 'Lyon' }] },
        { action: 'delete', entities: ['DB_PASSWORD', 'ghost'], action_on_non_existence: 'skip' },
      ],
    });
    expect(r.body).toEqual({
      create: { success: ['raw_bucket', 'city'], errors: [] },
      update: { success: ['city'], errors: [] },
      delete: { success: ['DB_PASSWORD'], errors: [] },
    });
    expect(web.store.variables.value('raw_bucket')).toBe('v3');
    expect(web.store.variables.value('city')).toBe('Lyon');
    expect(web.store.variables.get('DB_PASSWORD')).toBeUndefined();
  });

  it('feed the templates, after the environment: AIRFLOW_VAR_* / WINDSOCK_VAR_* win over the table', () => {
    setVariable(web.store, { key: 'conf_json', value: { zone: 'idf', n: 3 } });
    const run = { dagId: 'etl', runId: 'r', runType: 'manual', logicalDate: new Date('2024-01-01T00:00:00Z'), dataIntervalStart: new Date('2024-01-01T00:00:00Z'), dataIntervalEnd: new Date('2024-01-02T00:00:00Z'), timezone: 'UTC', conf: {}, params: {}, prevDataIntervalStartSuccess: null, prevDataIntervalEndSuccess: null, tryNumber: 1, taskId: 't' };
    const lookup = (k: string) => web.store.variables.value(k);
    const tpl = '{{ var.value.city }} {{ var.json.conf_json.zone }} {{ var.json.conf_json.n + 1 }}';
    expect(render(tpl, templateContext(run, { pull: () => null }, {}, lookup))).toBe('Lyon idf 4');
    expect(render(tpl, templateContext(run, { pull: () => null }, { AIRFLOW_VAR_CITY: 'Nice', WINDSOCK_VAR_CONF_JSON: '{"zone": "env", "n": 0}' }, lookup))).toBe('Nice env 1');
    expect(() => render('{{ var.value.nope }}', templateContext(run, { pull: () => null }, {}, lookup))).toThrow(/Variable nope does not exist: .*dag variables set nope VALUE/);
  });

  it('import and export as `dag variables` does them, and the CLI reads the same table', async () => {
    expect(() => importVariables(web.store, { city: 'X', fresh: 1 }, 'fail')).toThrow(/these variables already exist: city/);
    expect(web.store.variables.get('fresh')).toBeUndefined();
    expect(importVariables(web.store, { city: 'X', fresh: [1, 2] }, 'skip')).toEqual({ written: ['fresh'], skipped: ['city'] });
    expect(exportVariables(web.store)).toMatchObject({ city: 'Lyon', fresh: [1, 2], conf_json: { zone: 'idf', n: 3 } });
    const r = await dag(ws, ['variables', 'export', '-']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(exportVariables(web.store));
  }, 60_000);
});

describe('config', () => {
  it('is for op and admin only', async () => {
    for (const role of ['viewer', 'user']) expect((await call(role, 'GET', '/api/v2/config', '/api/v2/config')).status).toBe(403);
  });

  it("answers windsock's settings in Airflow's sections, secrets hidden", async () => {
    const r = await call('op', 'GET', '/api/v2/config', '/api/v2/config');
    expect(r.status).toBe(200);
    const option = (s: string, k: string) => r.body.sections.find((x: { name: string }) => x.name === s)?.options.find((o: { key: string }) => o.key === k)?.value;
    expect(option('core', 'dags_folder')).toBe(ws.dags);
    expect(option('core', 'parallelism')).toBe('32');
    expect(option('api', 'host')).toBe('127.0.0.1');
    expect(option('api_auth', 'jwt_secret')).toBe('< hidden >');
    expect(option('openaq', 'api_key')).toBe('< hidden >');
    expect(option('database', 'sql_alchemy_conn')).toBe('< hidden >');
    expect(r.text).not.toContain(TEST_SECRET);
    expect(r.text).not.toContain('openaq-key-that-must-not-leak');
    expect(r.text).not.toContain('admin-password');

    const core = await call('admin', 'GET', '/api/v2/config?section=core', '/api/v2/config');
    expect(core.body.sections.map((s: { name: string }) => s.name)).toEqual(['core']);
    expect((await call('admin', 'GET', '/api/v2/config?section=nope', '/api/v2/config')).status).toBe(404);
  });

  it('as text/plain, one option, and 406 for another media type', async () => {
    const text = await web.req('GET', '/api/v2/config?section=core', { token: tokens.op, headers: { accept: 'text/plain' } });
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text.text).toContain(`[core]\ndags_folder = ${ws.dags}\n`);
    const one = await call('op', 'GET', '/api/v2/config/section/core/option/parallelism', '/api/v2/config/section/{section}/option/{option}');
    expect(one.body).toEqual({ sections: [{ name: 'core', options: [{ key: 'parallelism', value: '32' }] }] });
    const secret = await web.req('GET', '/api/v2/config/section/api_auth/option/jwt_secret', { token: tokens.op, headers: { accept: 'text/plain' } });
    expect(secret.text).toBe('[api_auth]\njwt_secret = < hidden >\n');
    expect((await call('op', 'GET', '/api/v2/config/section/core/option/nope', '/api/v2/config/section/{section}/option/{option}')).body.detail).toBe('Option [core/nope] not found.');
    expect((await call('op', 'GET', '/api/v2/config', '/api/v2/config', undefined, { accept: 'application/xml' })).status).toBe(406);
  });
});

describe('jobs, plugins, providers', () => {
  it('lists jobs with the filters, alive or not', async () => {
    const alive = web.store.jobs.start('SchedulerJob');
    const ended = web.store.jobs.start('BackfillJob', 'etl');
    web.store.jobs.end(ended);
    const all = await call('viewer', 'GET', '/api/v2/jobs?order_by=-id', '/api/v2/jobs');
    expect(all.body.jobs.map((j: { id: number }) => j.id)).toEqual([ended, alive]);
    expect(all.body.jobs[0]).toMatchObject({ job_type: 'BackfillJob', state: 'success', dag_id: 'etl', executor_class: 'LocalExecutor' });
    const live = await call('viewer', 'GET', '/api/v2/jobs?is_alive=true', '/api/v2/jobs');
    expect(live.body.jobs.map((j: { id: number }) => j.id)).toEqual([alive]);
    const dead = await call('viewer', 'GET', '/api/v2/jobs?is_alive=false&job_type=BackfillJob', '/api/v2/jobs');
    expect(dead.body.total_entries).toBe(1);
    expect((await call('viewer', 'GET', '/api/v2/jobs?start_date_gte=2024-01-01', '/api/v2/jobs')).status).toBe(422);
  });

  it('plugins are none here; providers are the built-in operator families', async () => {
    const plugins = await call('viewer', 'GET', '/api/v2/plugins', '/api/v2/plugins');
    expect(plugins.body).toEqual({ plugins: [], total_entries: 0 });
    expect((await call('viewer', 'GET', '/api/v2/plugins/importErrors', '/api/v2/plugins/importErrors')).body).toEqual({ import_errors: [], total_entries: 0 });
    const providers = await call('viewer', 'GET', '/api/v2/providers', '/api/v2/providers');
    const names = providers.body.providers.map((p: { package_name: string }) => p.package_name);
    expect(names).toContain('windsock-operators-standard');
    expect(names).toContain('windsock-operators-openaq');
    expect(providers.body.providers.find((p: { package_name: string }) => p.package_name === 'windsock-operators-standard').description).toMatch(/bash, empty/);
    expect((await call('viewer', 'GET', '/api/v2/providers?limit=1', '/api/v2/providers')).body.providers).toHaveLength(1);
  });
});
