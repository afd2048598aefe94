// API v1 (Airflow 2's) over real HTTP: HTTP Basic and bearer tokens, every answer checked against openapi-v1.yaml,
// v1's names (execution_date, is_active, schedule_interval, dag_run_id) over what v2 serves, v1's paging and
// `fields`, RFC 7807 problems for every error, and the translation tables pointing at real paths of both specs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { workspace } from '../support/cli.js';
import { assertComponent, assertSpec, documentedStatuses } from '../support/openapi.js';
import { startWebApp, type WebApp } from '../support/web.js';
import { SEEDED, seedWebState } from '../support/web-state.js';
import { createUser } from '../../engine/service/users.js';
import { V1_TRANSLATIONS } from '../../ui/server/api/v1/index.js';
import { fillPath } from '../../ui/server/api/v1/adapter.js';

let web: WebApp;
let bearer: string;
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
const ADMIN = basic('ada', 'ada-password');

beforeAll(async () => {
  const ws = workspace();
  web = await startWebApp(ws, { WINDSOCK_WEB_LOGIN_RATE: '1000' });
  seedWebState(web.store, ws.dags);
  await createUser(web.store, { username: 'ada', role: 'admin', password: 'ada-password' });
  bearer = await web.userToken('viewer');
});
afterAll(() => web?.close());

const documented = (template: string, method: string, status: number) => documentedStatuses(template, method, 'v1').includes(String(status));

/** GET (or another method) below /api/v1, checked against the v1 spec's operation `template`. */
async function v1(method: string, url: string, template: string, o: { headers?: Record<string, string>; json?: unknown; body?: string } = {}) {
  const r = await web.req(method, `/api/v1${url}`, { headers: { ...ADMIN, ...o.headers }, json: o.json, body: o.body });
  // Airflow 2 answered 400 for bad input on operations whose spec lists no 400: those bodies are checked as problems
  if (r.status === 400 && !documented(template, method, 400)) assertComponent('Error', r.body, 'v1');
  else assertSpec(template, method, r.status, r.body ?? {}, 'v1');
  if (r.status >= 400) expect(r.headers.get('content-type')).toBe('application/problem+json');
  return r;
}

describe('auth on /api/v1', () => {
  it('takes HTTP Basic and bearer tokens; refuses no credentials, a wrong password and a viewer writing, as problems', async () => {
    expect((await v1('GET', '/dags', '/dags')).status).toBe(200);
    const withToken = await web.req('GET', '/api/v1/dags', { token: bearer });
    expect(withToken.status).toBe(200);
    assertSpec('/dags', 'get', 200, withToken.body, 'v1');

    const none = await web.req('GET', '/api/v1/dags');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Basic');
    expect(none.body).toMatchObject({ status: 401, title: 'Unauthorized', detail: 'Not authenticated' });
    assertSpec('/dags', 'get', 401, none.body, 'v1');
    const wrong = await v1('GET', '/dags/etl', '/dags/{dag_id}', { headers: basic('ada', 'not-her-password') });
    expect(wrong.body).toMatchObject({ status: 401, detail: 'Invalid credentials' });

    const denied = await web.req('PATCH', '/api/v1/dags/etl', { token: bearer, json: { is_paused: true } });
    expect(denied.body).toMatchObject({ status: 403, title: 'Forbidden', type: expect.stringMatching(/Errors\/PermissionDenied$/) });
    assertSpec('/dags/{dag_id}', 'patch', 403, denied.body, 'v1');
    expect(web.store.dags.isPaused('etl')).toBe(false);
    // the health check stays public, as in Airflow 2
    const health = await web.req('GET', '/api/v1/health');
    expect(health.status).toBe(200);
    assertSpec('/health', 'get', 200, health.body, 'v1');
  });
});

describe('DAGs', () => {
  it("lists DAGs with v1's fields: is_active, schedule_interval as CronExpression / TimeDelta / null, tags by name", async () => {
    const r = await v1('GET', '/dags', '/dags');
    expect(r.body.total_entries).toBe(3);
    const byId = Object.fromEntries(r.body.dags.map((d: { dag_id: string }) => [d.dag_id, d]));
    expect(byId.etl).toMatchObject({ is_active: true, is_paused: false, is_subdag: false, root_dag_id: null, owners: ['alice'], tags: [{ name: 'team-a' }, { name: 'daily' }] });
    expect(byId.etl.schedule_interval).toEqual({ __type: 'CronExpression', value: '@daily' });
    expect(byId.daily.schedule_interval).toEqual({ __type: 'TimeDelta', days: 1, seconds: 0, microseconds: 0 });
    expect(byId.report.schedule_interval).toBeNull();
    expect(byId.etl).not.toHaveProperty('is_stale');
  });

  it('pages with limit (default 100, capped at 100) and offset, filters, and returns only the `fields` asked for', async () => {
    const paged = await v1('GET', '/dags?limit=1&offset=1&order_by=-dag_id', '/dags');
    expect(paged.body).toMatchObject({ total_entries: 3, dags: [{ dag_id: 'etl' }] });
    expect((await v1('GET', '/dags?limit=1000', '/dags')).body.dags).toHaveLength(3);
    expect((await v1('GET', '/dags?dag_id_pattern=rep', '/dags')).body.dags.map((d: { dag_id: string }) => d.dag_id)).toEqual(['report']);
    expect((await v1('GET', '/dags?tags=team-b', '/dags')).body.dags.map((d: { dag_id: string }) => d.dag_id)).toEqual(['report']);
    const some = await v1('GET', '/dags?fields=dag_id,is_paused', '/dags');
    expect(some.body.dags[0]).toEqual({ dag_id: 'daily', is_paused: false });
    expect((await v1('GET', '/dags/etl?fields=owners', '/dags/{dag_id}')).body).toEqual({ owners: ['alice'] });
  });

  it('answers bad parameters 400 with a one-line detail in v1 names, and an unknown DAG 404', async () => {
    const negative = await v1('GET', '/dags?limit=-1', '/dags');
    expect(negative.body).toMatchObject({ status: 400, title: 'Bad Request', detail: 'Page limit must be a positive integer' });
    const word = await v1('GET', '/dags?offset=ten', '/dags');
    expect(word.body).toMatchObject({ status: 400, detail: expect.stringMatching(/^offset: Input should be a valid integer/) });
    const order = await v1('GET', '/dags?order_by=password', '/dags');
    expect(order.body.detail).toBe("Ordering with 'password' is disallowed or the attribute does not exist on the model");
    const missing = await v1('GET', '/dags/nope', '/dags/{dag_id}');
    expect(missing.body).toMatchObject({ status: 404, title: 'Not Found', detail: "DAG with dag_id: 'nope' not found" });
  });

  it('pauses through PATCH (update_mask=is_paused) into the same store and audit log as v2', async () => {
    const r = await v1('PATCH', '/dags/report?update_mask=is_paused', '/dags/{dag_id}', { json: { is_paused: true } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dag_id: 'report', is_paused: true });
    expect(web.store.dags.isPaused('report')).toBe(true);
    expect(web.store.events.list({ dagId: 'report' }).map((e) => [e.event, e.owner])).toEqual([['pause', 'ada']]);
    const mask = await v1('PATCH', '/dags/report?update_mask=owners', '/dags/{dag_id}', { json: { is_paused: false } });
    expect(mask.body).toMatchObject({ status: 400, detail: 'Only `is_paused` field can be updated through the REST API' });
    const extra = await v1('PATCH', '/dags/report', '/dags/{dag_id}', { json: { is_paused: false, dag_id: 'other' } });
    expect(extra.body).toMatchObject({ status: 400, detail: 'dag_id: Extra inputs are not permitted' });
    const malformed = await v1('PATCH', '/dags/report', '/dags/{dag_id}', { body: '{"is_paused": ', headers: { 'content-type': 'application/json' } });
    expect(malformed.body).toMatchObject({ status: 400, detail: expect.stringMatching(/JSON decode error/) });
    expect(web.store.dags.isPaused('report')).toBe(true);
  });
});

describe('DAG runs and task instances', () => {
  it('lists runs with execution_date and external_trigger, for one DAG or all (~), filtered and sorted by execution_date', async () => {
    const r = await v1('GET', '/dags/etl/dagRuns', '/dags/{dag_id}/dagRuns');
    expect(r.body.total_entries).toBe(2);
    const [scheduled, manual] = r.body.dag_runs;
    expect(scheduled).toMatchObject({ dag_run_id: SEEDED.scheduledRun, execution_date: '2024-01-02T00:00:00Z', logical_date: '2024-01-02T00:00:00Z', state: 'success', external_trigger: false, run_type: 'scheduled' });
    expect(manual).toMatchObject({ dag_run_id: SEEDED.manualRun, state: 'queued', external_trigger: true, conf: { k: 1 } });
    expect(scheduled).not.toHaveProperty('run_after');
    const later = await v1('GET', '/dags/~/dagRuns?execution_date_gte=2024-01-04T00:00:00Z', '/dags/{dag_id}/dagRuns');
    expect(later.body.dag_runs.map((x: { dag_run_id: string }) => x.dag_run_id)).toEqual([SEEDED.manualRun]);
    const sorted = await v1('GET', '/dags/~/dagRuns?order_by=-execution_date', '/dags/{dag_id}/dagRuns');
    expect(sorted.body.dag_runs.map((x: { dag_run_id: string }) => x.dag_run_id)).toEqual([SEEDED.manualRun, SEEDED.scheduledRun]);
    const bad = await v1('GET', '/dags/~/dagRuns?execution_date_gte=yesterday', '/dags/{dag_id}/dagRuns');
    expect(bad.body).toMatchObject({ status: 400, detail: expect.stringMatching(/^execution_date_gte: /) });
  });

  it('gets one run, and 404 for an unknown one', async () => {
    const r = await v1('GET', `/dags/etl/dagRuns/${encodeURIComponent(SEEDED.scheduledRun)}`, '/dags/{dag_id}/dagRuns/{dag_run_id}');
    expect(r.body).toMatchObject({ dag_id: 'etl', dag_run_id: SEEDED.scheduledRun, start_date: '2024-01-03T00:00:01Z', end_date: '2024-01-03T00:00:09Z' });
    const missing = await v1('GET', '/dags/etl/dagRuns/nope', '/dags/{dag_id}/dagRuns/{dag_run_id}');
    expect(missing.body).toMatchObject({ status: 404, detail: 'The DagRun with dag_id: `etl` and run_id: `nope` was not found' });
  });

  it("lists a run's task instances with execution_date, hostname and v1's empty sla_miss", async () => {
    const r = await v1('GET', `/dags/etl/dagRuns/${encodeURIComponent(SEEDED.scheduledRun)}/taskInstances`, '/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances');
    expect(r.body.total_entries).toBe(2);
    expect(r.body.task_instances[0]).toMatchObject({ task_id: 'extract', dag_run_id: SEEDED.scheduledRun, execution_date: '2024-01-02T00:00:00Z', state: 'success', try_number: 1, hostname: 'worker-1', duration: 2, sla_miss: null });
    const queued = await v1('GET', '/dags/~/dagRuns/~/taskInstances?state=none', '/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances');
    expect(queued.body.task_instances.map((t: { state: string | null; hostname: string }) => [t.state, t.hostname])).toEqual([[null, ''], [null, '']]);
  });
});

describe('import errors, event logs, version', () => {
  it('answers them in v1 shapes', async () => {
    const errors = await v1('GET', '/importErrors', '/importErrors');
    expect(errors.body).toMatchObject({ total_entries: 1, import_errors: [{ filename: 'broken.yaml', stack_trace: expect.stringContaining('@sometimes') }] });
    expect(errors.body.import_errors[0]).not.toHaveProperty('bundle_name');
    const events = await v1('GET', '/eventLogs?event=trigger', '/eventLogs');
    expect(events.body.event_logs).toMatchObject([{ event: 'trigger', dag_id: 'etl', execution_date: '2024-01-05T00:00:00Z', owner: 'alice' }]);
    expect(events.body.event_logs[0]).not.toHaveProperty('logical_date');
    const version = await v1('GET', '/version', '/version');
    expect(version.body).toEqual({ version: '0.1.0', git_version: null });
  });
});

describe('DAG stats, DAG warnings and providers', () => {
  it('answers them in v1 shapes, dag_ids comma-separated as in Airflow 2', async () => {
    // `report` has no runs, so no stats (as in Airflow); `etl` is found only if the list was split at the comma.
    const stats = await v1('GET', '/dagStats?dag_ids=etl,report', '/dagStats');
    expect(stats.body.total_entries).toBe(1);
    const etl = stats.body.dags.find((d: { dag_id: string }) => d.dag_id === 'etl');
    expect(etl).not.toHaveProperty('dag_display_name');
    const counts = Object.fromEntries(etl.stats.map((s: { state: string; count: number }) => [s.state, s.count]));
    expect(counts).toMatchObject({ success: 1, queued: 1, running: 0, failed: 0 });

    web.store.dagWarnings.replace('non-existent pool', [{ dag_id: 'etl', warning_type: 'non-existent pool', message: 'Dag etl references non-existent pools: nope' }]);
    try {
      const warnings = await v1('GET', '/dagWarnings?dag_id=etl', '/dagWarnings');
      expect(warnings.body).toMatchObject({ total_entries: 1, dag_warnings: [{ dag_id: 'etl', warning_type: 'non-existent pool', message: expect.stringContaining('nope') }] });
      expect(warnings.body.dag_warnings[0]).not.toHaveProperty('dag_display_name');
    } finally {
      web.store.dagWarnings.replace('non-existent pool', []);
    }

    const providers = await v1('GET', '/providers', '/providers');
    expect(providers.body.total_entries).toBe(providers.body.providers.length);
    for (const p of providers.body.providers) expect(Object.keys(p).sort()).toEqual(['description', 'package_name', 'version']);
  });
});

describe('paths v1 does not serve', () => {
  it('answers 404 problems for unknown paths, and for v1 paths whose v2 side is not served', async () => {
    for (const p of ['/no-such-thing', '/dags/etl/nonsense', '/users']) {
      const r = await web.req('GET', `/api/v1${p}`, { headers: ADMIN });
      expect(r.status, p).toBe(404);
      expect(r.body, p).toMatchObject({ status: 404, title: 'Not Found', type: expect.stringMatching(/Errors\/NotFound$/) });
      expect(r.headers.get('content-type')).toBe('application/problem+json');
    }
    // unauthenticated, an unknown path is refused before it is looked up, as in v2
    expect((await web.req('GET', '/api/v1/no-such-thing')).status).toBe(401);
  });
});

describe('the translation tables', () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  const spec = (v: string) => parse(fs.readFileSync(path.join(root, `ui/server/openapi/openapi-${v}.yaml`), 'utf8')).paths as Record<string, Record<string, unknown>>;
  const template = (honoPath: string) => honoPath.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}');

  it('serve only operations of openapi-v1.yaml, each translated to an operation of openapi-v2.yaml', () => {
    const [v1Paths, v2Paths] = [spec('v1'), spec('v2')];
    const params = { dag_id: 'd', dag_run_id: 'r', task_id: 't', map_index: '0', task_try_number: '1', xcom_key: 'k', pool_name: 'p', variable_key: 'v', section: 's', option: 'o', import_error_id: '1', event_log_id: '1', file_token: 'ZA' };
    const v2Template = (filled: string) => {
      const segs = filled.split('?')[0].split('/');
      return Object.keys(v2Paths).find((p) => {
        const ps = p.replace(/^\/api\/v2/, '').split('/');
        return ps.length === segs.length && ps.every((s, i) => s === segs[i] || /^\{\w+\}$/.test(s));
      });
    };
    for (const t of V1_TRANSLATIONS.flat()) {
      const v1 = template(t.path);
      expect(v1Paths[v1]?.[t.method.toLowerCase()], `${t.method} ${v1} in openapi-v1.yaml`).toBeDefined();
      for (const dryRun of [true, false]) {
        const filled = typeof t.v2 === 'function' ? t.v2(params, { dry_run: dryRun, task_id: 't', dag_run_id: 'r' }) : fillPath(t.v2, params, t.params);
        const v2 = v2Template(filled);
        expect(v2 && v2Paths[v2]?.[(t.v2Method ?? t.method).toLowerCase()], `${t.method} ${v1} -> ${t.v2Method ?? t.method} ${filled} in openapi-v2.yaml`).toBeDefined();
      }
    }
  });
});
