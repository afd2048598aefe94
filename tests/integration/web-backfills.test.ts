// API v2's backfills over real HTTP: created (and dry-run) through the engine's backfill service, listed, paused,
// cancelled; then run by a real `dag scheduler` beside the in-process web server, within the backfill's
// max_active_runs and only while it is not paused; and `dag backfill` in the foreground recording its row too.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dag, dagAsync, exited, until, workspace, killedAfterEach, type Workspace } from '../support/cli.js';
import { maxConcurrency, traced } from '../support/concurrency.js';
import { assertSpec } from '../support/openapi.js';
import { startWebApp, type WebApp } from '../support/web.js';

const children = killedAfterEach();
let ws: Workspace;
let web: WebApp;
let trace: string;
let op: string;
let user: string;

// end_date before now and catchup off: the scheduler creates no scheduled run, only the backfill's runs run.
const daily = (id: string, body: string) => `${id}:
  schedule: "@daily"
  catchup: false
  default_args: {start_date: 2024-01-01, end_date: 2024-01-31}
  tasks:
    - {task_id: t, operator: bash, bash_command: '${body}'}
`;

beforeAll(async () => {
  ws = workspace();
  trace = path.join(path.dirname(ws.home), 'trace');
  fs.writeFileSync(path.join(ws.dags, 'daily.yaml'), daily('daily', traced(trace, '{{ ds }}', 'sleep 0.3')));
  fs.writeFileSync(path.join(ws.dags, 'other.yaml'), daily('other', 'echo other'));
  fs.writeFileSync(path.join(ws.dags, 'cli.yaml'), daily('cli', 'echo cli'));
  // `dag backfill` in the foreground: parses the folder (the DAGs reach the state database) and records its backfill.
  const fg = await dag(ws, ['backfill', 'cli', '--from', '2024-01-01', '--to', '2024-01-02']);
  expect(fg.code, fg.stderr).toBe(0);
  web = await startWebApp(ws, { WINDSOCK_WEB_LOGIN_RATE: '1000' });
  op = await web.userToken('op');
  user = await web.userToken('user');
}, 120_000);
afterAll(() => web?.close());

async function call(token: string, method: string, p: string, template: string, json?: unknown) {
  const r = await web.req(method, p, { token, json });
  assertSpec(template, method.toLowerCase(), r.status, r.body);
  return r;
}

const body = (dagId: string, over: Record<string, unknown> = {}) => ({ dag_id: dagId, from_date: '2024-01-01T00:00:00Z', to_date: '2024-01-05T00:00:00Z', ...over });
const backfillRuns = (id: number) => web.store.db.prepare('SELECT run_id, run_type, state FROM dag_run WHERE backfill_id = ? ORDER BY logical_date').all(id) as { run_id: string; run_type: string; state: string }[];

describe('backfills through the API', () => {
  let id: number;

  it('`dag backfill` recorded its backfill, completed', async () => {
    const r = await call(user, 'GET', '/api/v2/backfills?dag_id=cli', '/api/v2/backfills');
    expect(r.body.total_entries).toBe(1);
    expect(r.body.backfills[0]).toMatchObject({ dag_id: 'cli', from_date: '2024-01-01T00:00:00Z', to_date: '2024-01-02T00:00:00Z', reprocess_behavior: 'none', is_paused: false });
    expect(r.body.backfills[0].completed_at).not.toBeNull();
    expect(backfillRuns(r.body.backfills[0].id).map((x) => x.state)).toEqual(['success', 'success']);
  });

  it('dry-runs without writing, then creates the backfill and its queued runs (op only)', async () => {
    const dry = await call(op, 'POST', '/api/v2/backfills/dry_run', '/api/v2/backfills/dry_run', body('daily', { run_backwards: true }));
    expect(dry.status).toBe(200);
    expect(dry.body.backfills.map((b: { logical_date: string }) => b.logical_date)).toEqual(['2024-01-05', '2024-01-04', '2024-01-03', '2024-01-02', '2024-01-01'].map((d) => `${d}T00:00:00Z`));
    expect(web.store.db.prepare(`SELECT count(*) FROM dag_run WHERE dag_id = 'daily'`).pluck().get()).toBe(0);

    expect((await call(user, 'POST', '/api/v2/backfills', '/api/v2/backfills', body('daily'))).status).toBe(403);
    const r = await call(op, 'POST', '/api/v2/backfills', '/api/v2/backfills', body('daily', { max_active_runs: 2, dag_run_conf: { source: 'api' } }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dag_id: 'daily', dag_display_name: 'daily', max_active_runs: 2, is_paused: false, completed_at: null, dag_run_conf: { source: 'api' } });
    id = r.body.id;
    const runs = backfillRuns(id);
    expect(runs.map((x) => x.run_id)).toEqual(['01', '02', '03', '04', '05'].map((d) => `backfill__2024-01-${d}T00:00:00+00:00`));
    expect(runs.every((x) => x.run_type === 'backfill' && x.state === 'queued')).toBe(true);

    const again = await call(op, 'POST', '/api/v2/backfills', '/api/v2/backfills', body('daily'));
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/^Another backfill is running for dag daily/);
    expect((await call(user, 'GET', `/api/v2/backfills/${id}`, '/api/v2/backfills/{backfill_id}')).body.id).toBe(id);
  });

  it('refuses what cannot be backfilled with the spec status and a clear detail', async () => {
    expect((await call(op, 'POST', '/api/v2/backfills', '/api/v2/backfills', body('ghost'))).body.detail).toBe('Could not find dag ghost');
    const swapped = await call(op, 'POST', '/api/v2/backfills', '/api/v2/backfills', body('other', { from_date: '2024-01-09T00:00:00Z' }));
    expect(swapped.status).toBe(400);
    expect(swapped.body.detail).toBe('from_date 2024-01-09T00:00:00Z is after to_date 2024-01-05T00:00:00Z: swap them');
    expect((await call(op, 'POST', '/api/v2/backfills/dry_run', '/api/v2/backfills/dry_run', body('other', { from_date: '2024-01-09T00:00:00Z' }))).status).toBe(422);
    const naive = await call(op, 'POST', '/api/v2/backfills', '/api/v2/backfills', body('other', { from_date: '2024-01-01T00:00:00' }));
    expect(naive.body.detail[0]).toMatchObject({ loc: ['body', 'from_date'], type: 'timezone_aware' });
    expect((await call(op, 'POST', '/api/v2/backfills', '/api/v2/backfills', body('other', { max_active_runs: 0 }))).status).toBe(422);
    expect((await call(op, 'POST', '/api/v2/backfills', '/api/v2/backfills', body('other', { reprocess_behavior: 'all' }))).body.detail[0].type).toBe('enum');
    expect((await call(op, 'GET', '/api/v2/backfills', '/api/v2/backfills')).body.detail[0]).toMatchObject({ loc: ['query', 'dag_id'], type: 'missing' });
    expect((await call(op, 'GET', '/api/v2/backfills/x', '/api/v2/backfills/{backfill_id}')).status).toBe(422);
    expect((await call(op, 'PUT', '/api/v2/backfills/999/pause', '/api/v2/backfills/{backfill_id}/pause')).status).toBe(404);
    expect(web.store.db.prepare(`SELECT count(*) FROM backfill WHERE dag_id = 'other'`).pluck().get()).toBe(0);
  });

  it('cancel pauses, fails the runs not started and completes the backfill; a second cancel is 409', async () => {
    const b = (await call(op, 'POST', '/api/v2/backfills', '/api/v2/backfills', body('other', { to_date: '2024-01-03T00:00:00Z' }))).body;
    const r = await call(op, 'PUT', `/api/v2/backfills/${b.id}/cancel`, '/api/v2/backfills/{backfill_id}/cancel');
    expect(r.body.is_paused).toBe(true);
    expect(r.body.completed_at).not.toBeNull();
    expect(backfillRuns(b.id).map((x) => x.state)).toEqual(['failed', 'failed', 'failed']);
    expect((await call(op, 'PUT', `/api/v2/backfills/${b.id}/cancel`, '/api/v2/backfills/{backfill_id}/cancel')).status).toBe(409);
    expect((await call(op, 'PUT', `/api/v2/backfills/${b.id}/unpause`, '/api/v2/backfills/{backfill_id}/unpause')).status).toBe(409);
    // With the first completed, the DAG may have another backfill; reprocess_behavior=failed runs the failed ones again.
    const again = await call(op, 'POST', '/api/v2/backfills/dry_run', '/api/v2/backfills/dry_run', body('other', { to_date: '2024-01-03T00:00:00Z', reprocess_behavior: 'failed' }));
    expect(again.body.total_entries).toBe(3);
    const none = await call(op, 'POST', '/api/v2/backfills/dry_run', '/api/v2/backfills/dry_run', body('other', { to_date: '2024-01-03T00:00:00Z' }));
    expect(none.body.total_entries).toBe(0);
  });

  it('the scheduler runs a backfill only while it is not paused, at most max_active_runs at once, then completes it', async () => {
    expect((await call(op, 'PUT', `/api/v2/backfills/${id}/pause`, '/api/v2/backfills/{backfill_id}/pause')).body.is_paused).toBe(true);
    expect((await call(user, 'PATCH', '/api/v2/dags/daily', '/api/v2/dags/{dag_id}', { is_paused: false })).status).toBe(200);
    const sched = dagAsync(ws, ['scheduler', '--tick', '200']);
    children.push(sched);
    const waiting = () => web.store.db.prepare('SELECT waiting_reason FROM dag_run WHERE backfill_id = ? ORDER BY logical_date LIMIT 1').pluck().get(id) as string | null;
    await until(() => (waiting() ?? '').includes(`its backfill ${id} is paused`), 60_000, 'the scheduler to say the backfill is paused');
    expect(backfillRuns(id).every((x) => x.state === 'queued')).toBe(true);
    expect(fs.existsSync(trace)).toBe(false);

    await call(op, 'PUT', `/api/v2/backfills/${id}/unpause`, '/api/v2/backfills/{backfill_id}/unpause');
    await until(() => web.store.backfills.get(id)?.completed_at != null, 120_000, 'the backfill to complete');
    expect(backfillRuns(id).map((x) => x.state)).toEqual(Array(5).fill('success'));
    expect(maxConcurrency(trace)).toBeLessThanOrEqual(2);
    expect(fs.readFileSync(trace, 'utf8').match(/^start /gm)).toHaveLength(5);
    const got = await call(user, 'GET', `/api/v2/backfills/${id}`, '/api/v2/backfills/{backfill_id}');
    expect(got.body.completed_at).not.toBeNull();
    sched.kill('SIGTERM');
    expect(await exited(sched)).toBe(0);
  }, 180_000);
});
