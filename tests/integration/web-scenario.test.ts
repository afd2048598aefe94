// The REST API as a CI job or an Airflow client uses it, over HTTP only, against `dag serve` and `dag scheduler`
// running as two processes on one WINDSOCK_HOME: log in, pause and unpause, trigger, see why the run waits, wait for
// it (NDJSON), tail a running task's log with the continuation token, clear the failed task once its cause is fixed,
// see it re-run and succeed, read the audit log. What the web server writes is acted on by the scheduler in the other
// process.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dagAsync, killedAfterEach, until, workspace, type Workspace } from '../support/cli.js';
import { assertSpec } from '../support/openapi.js';

const children = killedAfterEach();
const TICKS = 20;

/** `dag scheduler` and `dag serve` on the workspace's home; the server's URL and an admin token once it listens. */
async function startBoth(ws: Workspace): Promise<{ base: string; token: string }> {
  const scheduler = dagAsync(ws, ['scheduler', '--tick', '200']);
  const server = dagAsync(ws, ['serve', '--port', '0'], { WINDSOCK_ADMIN_PASSWORD: 'scenario-admin-pw' });
  children.push(scheduler, server);
  await until(() => /windsock web server on http:\S+/.test(server.output()), 60_000, 'the web server to listen');
  const base = /windsock web server on (http:\S+)/.exec(server.output())![1];
  const login = await fetch(`${base}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'scenario-admin-pw' }) });
  expect(login.status).toBe(201);
  return { base, token: ((await login.json()) as { access_token: string }).access_token };
}

describe('dag serve + dag scheduler, through HTTP only', () => {
  it('triggers, waits, clears a failed task and sees it succeed, with the audit trail', async () => {
    const ws = workspace();
    const flag = path.join(ws.home, '..', 'flag');
    // `flaky` fails until the flag file exists; `report` runs after it.
    fs.writeFileSync(path.join(ws.dags, 'flaky.yaml'), `flaky:
  schedule: null
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: prepare, operator: bash, bash_command: 'echo preparing'}
    - {task_id: flaky, operator: bash, bash_command: 'test -f ${flag} && echo fixed', dependencies: [prepare]}
    - {task_id: report, operator: bash, bash_command: 'echo done', dependencies: [flaky]}
`);
    // `ticker` writes a numbered line every 0.1 s for about 2 s: a running attempt whose log grows while it is read.
    fs.writeFileSync(path.join(ws.dags, 'ticker.yaml'), `ticker:
  schedule: null
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: tick, operator: bash, bash_command: 'for i in $(seq 1 ${TICKS}); do echo tick-$i; sleep 0.1; done'}
`);
    const { base, token } = await startBoth(ws);

    const api = async (method: string, url: string, template: string, json?: unknown, token?: string) => {
      const res = await fetch(base + url, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: json !== undefined ? JSON.stringify(json) : undefined,
      });
      const text = await res.text();
      const body = text ? JSON.parse(text) : undefined;
      if (template) assertSpec(template, method.toLowerCase(), res.status, body);
      return { status: res.status, body };
    };
    const call = (method: string, url: string, template: string, json?: unknown) => api(method, url, template, json, token);
    /** The run's NDJSON wait stream read to its end: the states it went through. */
    const waitFor = async (runId: string) => {
      const res = await fetch(`${base}/api/v2/dags/flaky/dagRuns/${runId}/wait?interval=0.2&result=flaky`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      return (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { state: string; results?: Record<string, unknown> });
    };

    // The scheduler has parsed the folder once the DAG is listed.
    let listed = false;
    for (const end = Date.now() + 60_000; !listed && Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
      listed = (await call('GET', '/api/v2/dags/flaky', '/api/v2/dags/{dag_id}')).status === 200;
    }
    expect(listed).toBe(true);
    expect((await call('PATCH', '/api/v2/dags/flaky', '/api/v2/dags/{dag_id}', { is_paused: true })).body.is_paused).toBe(true);

    const trig = await call('POST', '/api/v2/dags/flaky/dagRuns', '/api/v2/dags/{dag_id}/dagRuns', { dag_run_id: 'scenario', conf: { why: 'scenario' } });
    expect(trig.status).toBe(200);
    expect(trig.body).toMatchObject({ dag_run_id: 'scenario', state: 'queued', triggered_by: 'rest_api', triggering_user_name: 'admin' });
    // Paused: the run waits, and the API says why.
    const why = await call('GET', '/api/v2/dags/flaky/dagRuns/scenario/taskInstances/prepare/dependencies', '/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/dependencies');
    expect(why.body.dependencies.map((d: { name: string }) => d.name)).toEqual(['Dag Not Paused', 'Dagrun Running']);

    expect((await call('PATCH', '/api/v2/dags/flaky', '/api/v2/dags/{dag_id}', { is_paused: false })).body.is_paused).toBe(false);

    // Tail a running attempt: follow the continuation token from read to read until the attempt is over.
    expect((await call('POST', '/api/v2/dags/ticker/dagRuns', '/api/v2/dags/{dag_id}/dagRuns', { dag_run_id: 'tail' })).status).toBe(200);
    const logUrl = '/api/v2/dags/ticker/dagRuns/tail/taskInstances/tick/logs/1';
    const logTemplate = '/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{try_number}';
    let read = await call('GET', logUrl, logTemplate);
    for (const end = Date.now() + 60_000; read.status === 404 && Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
      read = await call('GET', logUrl, logTemplate);
    }
    expect(read.status).toBe(200);
    const pieces: string[][] = [];
    for (;;) {
      const events = read.body.content.map((l: { event: string }) => l.event);
      if (events.length) pieces.push(events);
      const next = read.body.continuation_token as string | null;
      if (next === null) break;
      await new Promise((r) => setTimeout(r, 100));
      read = await call('GET', `${logUrl}?token=${encodeURIComponent(next)}`, logTemplate);
      expect(read.status).toBe(200);
    }
    const ticks = pieces.flat().filter((e) => /^tick-\d+$/.test(e));
    expect(ticks).toEqual(Array.from({ length: TICKS }, (_, i) => `tick-${i + 1}`));
    // The ticks came in several reads, not in one read of a finished log.
    expect(pieces.filter((p) => p.some((e) => e.startsWith('tick-'))).length).toBeGreaterThan(2);
    // Read whole at the end, the log is what the pieces were, line for line.
    const whole = await call('GET', `${logUrl}?full_content=true`, logTemplate);
    expect(whole.body.content.map((l: { event: string }) => l.event)).toEqual(pieces.flat());
    expect(pieces.flat().at(-1)).toMatch(/^Attempt 1 ended: success/);

    const first = await waitFor('scenario');
    expect(first.at(-1)).toEqual({ state: 'failed', results: { flaky: null } });
    const tis = await call('GET', '/api/v2/dags/flaky/dagRuns/scenario/taskInstances?order_by=task_id', '/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances');
    expect(tis.body.task_instances.map((t: { task_id: string; state: string }) => [t.task_id, t.state])).toEqual([['flaky', 'failed'], ['prepare', 'success'], ['report', 'upstream_failed']]);

    // The cause fixed, the failed task and what it held back are cleared; the scheduler runs them again.
    fs.writeFileSync(flag, '');
    const cleared = await call('POST', '/api/v2/dags/flaky/clearTaskInstances', '/api/v2/dags/{dag_id}/clearTaskInstances', {
      dry_run: false, dag_run_id: 'scenario', task_ids: ['flaky'], include_downstream: true, only_failed: true,
    });
    expect(cleared.body.task_instances.map((t: { task_id: string }) => t.task_id).sort()).toEqual(['flaky', 'report']);
    const second = await waitFor('scenario');
    expect(second.at(-1)?.state).toBe('success');
    const tries = await call('GET', '/api/v2/dags/flaky/dagRuns/scenario/taskInstances/flaky/tries', '/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/tries');
    expect(tries.body.task_instances.map((t: { try_number: number; state: string }) => [t.try_number, t.state])).toEqual([[1, 'failed'], [2, 'success']]);
    const prepare = await call('GET', '/api/v2/dags/flaky/dagRuns/scenario/taskInstances/prepare', '/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}');
    expect(prepare.body.try_number).toBe(1);

    const log = await call('GET', '/api/v2/eventLogs?dag_id=flaky&order_by=id&limit=200', '/api/v2/eventLogs');
    const byAdmin = log.body.event_logs.filter((e: { owner: string }) => e.owner === 'admin').map((e: { event: string }) => e.event);
    expect(byAdmin).toEqual(['pause', 'dag_run_created', 'trigger', 'unpause', 'clear']);
    const attempts = log.body.event_logs.filter((e: { task_id: string }) => e.task_id === 'flaky').map((e: { event: string }) => e.event);
    expect(attempts).toEqual(['failed', 'success']);
  }, 180_000);

  it('marking a running run failed through the API stops its running task in the scheduler, and the states stand', async () => {
    const ws = workspace({
      'slow.yaml': `slow:
  schedule: null
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: nap, operator: bash, bash_command: 'sleep 60'}
    - {task_id: after, operator: bash, bash_command: 'echo after', dependencies: [nap]}
`,
    });
    const { base, token } = await startBoth(ws);
    const call = async (method: string, url: string, json?: unknown) => {
      const res = await fetch(base + url, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: json === undefined ? undefined : JSON.stringify(json) });
      return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    expect((await call('POST', '/api/v2/dags/slow/dagRuns', { dag_run_id: 'long' })).status).toBe(200);
    let state: string | null = null;
    for (const end = Date.now() + 60_000; state !== 'running' && Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
      state = (await call('GET', '/api/v2/dags/slow/dagRuns/long/taskInstances/nap')).body.state;
    }
    expect(state).toBe('running');
    const marked = await call('PATCH', '/api/v2/dags/slow/dagRuns/long', { state: 'failed' });
    expect(marked.body.state).toBe('failed');
    // The scheduler notices and stops the attempt long before its 60 s sleep ends.
    const log = path.join(ws.home, 'logs', 'dag_id=slow', 'run_id=long', 'task_id=nap', 'attempt=1.log');
    await until(() => fs.existsSync(log) && /Attempt 1 ended: failed/.test(fs.readFileSync(log, 'utf8')), 30_000, 'the attempt to be stopped');
    const tis = await call('GET', '/api/v2/dags/slow/dagRuns/long/taskInstances?order_by=task_id');
    expect(tis.body.task_instances.map((t: { task_id: string; state: string }) => [t.task_id, t.state])).toEqual([['after', 'skipped'], ['nap', 'failed']]);
    expect((await call('GET', '/api/v2/dags/slow/dagRuns/long')).body.state).toBe('failed');
  }, 120_000);
});
