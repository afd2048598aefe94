// GET .../taskInstances/{task_id}/logs/{try_number} over real HTTP: attempt logs written by the engine's AttemptLog,
// read as JSON or NDJSON; tailing a running attempt with the signed continuation token returns only what was added;
// tampered tokens are refused; no dag_id, run_id, task_id or try_number (encoded, absolute, overlong) and no
// symlink reads anything outside $WINDSOCK_HOME/logs.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Loaded } from '../../cli/context.js';
import { attemptLogPath, type AttemptLog } from '../../engine/run/task-log.js';
import { until, workspace, type Workspace } from '../support/cli.js';
import { assertComponent, assertSpec } from '../support/openapi.js';
import { startWebApp, type WebApp } from '../support/web.js';
import { finishAttempt, loadWorkspace, manualRun, startAttempt } from '../support/api-state.js';

const TEMPLATE = '/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{try_number}';
const SECRET = 'TOP-SECRET-CONTENT-0xC0FFEE';

let ws: Workspace;
let web: WebApp;
let l: Loaded;
let token: string;
let viewer: string;
let running: AttemptLog;
const t1 = { dagId: 'job', runId: 'r1', taskId: 't1' };
const t2 = { dagId: 'job', runId: 'r1', taskId: 't2' };

beforeAll(async () => {
  ws = workspace({
    'job.yaml': `job:
  schedule: null
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: t1, operator: empty}
    - {task_id: t2, operator: empty}
`,
  });
  web = await startWebApp(ws, { WINDSOCK_WEB_LOGIN_RATE: '1000' });
  l = await loadWorkspace(ws, web.store);
  manualRun(l, 'job', 'r1', '2024-01-02T00:00:00Z');
  const first = startAttempt(web.store, ws.home, t1);
  first.log.info('starting extract');
  first.log.warn('slow page', { page: 2 });
  first.log.error('gave up');
  await finishAttempt(web.store, t1, first.log, 'up_for_retry');
  running = startAttempt(web.store, ws.home, t1).log;
  running.info('second try begins');
  await running.opened;
  await until(() => fs.readFileSync(file(t1, 2), 'utf8').includes('second try begins'), 10_000, 'the first line of try 2');
  const other = startAttempt(web.store, ws.home, t2);
  other.log.info('t2 ran');
  await finishAttempt(web.store, t2, other.log, 'success');
  fs.writeFileSync(path.join(ws.home, 'secret.txt'), SECRET);
  fs.writeFileSync(path.join(path.dirname(ws.home), 'secret.txt'), SECRET);
  token = await web.userToken('user');
  viewer = await web.userToken('viewer');
}, 120_000);
afterAll(async () => {
  await running?.close();
  await web?.close();
});

function file(k: typeof t1, tryNumber: number): string {
  return attemptLogPath(ws.home, k.dagId, k.runId, k.taskId, tryNumber);
}

function url(k: typeof t1, tryNumber: number | string, q = ''): string {
  return `/api/v2/dags/${k.dagId}/dagRuns/${k.runId}/taskInstances/${k.taskId}/logs/${tryNumber}${q}`;
}

async function log(path: string, o: { headers?: Record<string, string>; as?: string } = {}) {
  const r = await web.req('GET', path, { token: o.as ?? token, headers: o.headers });
  if (!o.headers?.accept?.includes('ndjson') || r.status !== 200) assertSpec(TEMPLATE, 'get', r.status, r.body);
  return r;
}

describe('reading an attempt log', () => {
  it('gives a finished try as structured lines (timestamp, level, event) and no continuation token', async () => {
    const r = await log(url(t1, 1), { as: viewer });
    expect(r.status).toBe(200);
    expect(r.body.continuation_token).toBeNull();
    expect(r.body.content.map((c: { level: string; event: string }) => [c.level, c.event])).toEqual([
      ['info', 'starting extract'],
      ['warn', 'slow page {"page":2}'],
      ['error', 'gave up'],
    ]);
    expect(r.body.content[0].timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it('answers NDJSON for Accept: application/x-ndjson, one JSON object per line', async () => {
    const r = await log(url(t1, 1), { headers: { accept: 'application/x-ndjson' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(r.headers.get('airflow-continuation-token')).toBeNull();
    const lines = r.text.trimEnd().split('\n').map((s) => JSON.parse(s));
    expect(lines.map((x) => x.event)).toEqual(['starting extract', 'slow page {"page":2}', 'gave up']);
    for (const line of lines) assertComponent('StructuredLogMessage', line);
  });

  it('answers 404 for a try that does not exist, a map index, an unknown task or run', async () => {
    const three = await log(url(t1, 3));
    expect(three.status).toBe(404);
    expect(three.body.detail).toBe('Try 3 of this task instance does not exist: it has 2 tries (numbered from 1)');
    expect((await log(url(t1, 0))).status).toBe(404);
    expect((await log(url(t1, 1, '?map_index=0'))).status).toBe(404);
    expect((await log(url({ ...t1, taskId: 'nope' }, 1))).body).toEqual({ detail: 'TaskInstance not found' });
    expect((await log(url({ ...t1, runId: 'nope' }, 1))).status).toBe(404);
  });

  it('answers 404 when the try is recorded but its file is gone', async () => {
    const k = { dagId: 'job', runId: 'r1', taskId: 't2' };
    const f = file(k, 1);
    const kept = fs.readFileSync(f);
    fs.rmSync(f);
    try {
      const r = await log(url(k, 1));
      expect(r.status).toBe(404);
      expect(r.body.detail).toBe('The log of try 1 of this task instance is not on disk');
    } finally {
      fs.writeFileSync(f, kept);
    }
  });

  it('needs credentials; a viewer may read; another Accept is 406', async () => {
    expect((await web.req('GET', url(t1, 1))).status).toBe(401);
    expect((await log(url(t1, 1), { as: viewer })).status).toBe(200);
    const png = await web.req('GET', url(t1, 1), { token, headers: { accept: 'image/png' } });
    expect(png.status).toBe(406);
    expect(png.body.detail).toBe('Only application/json or application/x-ndjson is supported');
  });
});

describe('tailing a running attempt with the continuation token', () => {
  it('returns only the lines added since the token, a new token each time, and none once the attempt is over', async () => {
    const first = await log(url(t1, 2));
    expect(first.body.content.map((c: { event: string }) => c.event)).toEqual(['second try begins']);
    const tok1 = first.body.continuation_token as string;
    expect(tok1).toEqual(expect.any(String));

    const again = await log(url(t1, 2, `?token=${encodeURIComponent(tok1)}`));
    expect(again.body.content).toEqual([]);

    const f = file(t1, 2);
    running.info('page 1 fetched');
    running.info('page 2 fetched');
    await until(() => fs.readFileSync(f, 'utf8').includes('page 2 fetched'), 10_000, 'the new lines on disk');
    fs.appendFileSync(f, 'a line still being writ'); // no line break yet: not given until it is complete
    const grown = await log(url(t1, 2, `?token=${encodeURIComponent(tok1)}`));
    expect(grown.body.content.map((c: { event: string }) => c.event)).toEqual(['page 1 fetched', 'page 2 fetched']);
    const tok2 = grown.body.continuation_token as string;
    expect(tok2).not.toBe(tok1);

    fs.appendFileSync(f, 'ten\n');
    const nd = await log(url(t1, 2, `?token=${encodeURIComponent(tok2)}`), { headers: { accept: 'application/x-ndjson' } });
    expect(nd.text.trimEnd().split('\n').map((s) => JSON.parse(s).event)).toEqual(['a line still being written']);
    const tok3 = nd.headers.get('airflow-continuation-token')!;
    expect(tok3).toEqual(expect.any(String));

    running.info('done');
    await finishAttempt(web.store, t1, running, 'success');
    const last = await log(url(t1, 2, `?token=${encodeURIComponent(tok3)}`));
    expect(last.body.content.map((c: { event: string }) => c.event)).toEqual(['done']);
    expect(last.body.continuation_token).toBeNull();

    const full = await log(url(t1, 2, `?full_content=true&token=${encodeURIComponent(tok3)}`));
    expect(full.body.content.map((c: { event: string }) => c.event)).toEqual(['done']);
    const whole = await log(url(t1, 2, '?full_content=true'));
    expect(whole.body.content).toHaveLength(5);
  });

  it('refuses a tampered, foreign or malformed token with 400 and a clear detail', async () => {
    const live = startAttempt(web.store, ws.home, t2);
    live.log.info('t2 again');
    await until(() => fs.existsSync(file(t2, 2)) && fs.readFileSync(file(t2, 2), 'utf8').includes('t2 again'), 10_000, 'try 2 of t2 on disk');
    const issued = (await log(url(t2, 2))).body.continuation_token as string;
    const [payload, sig] = issued.split('.');
    const moved = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), o: 0 })).toString('base64url');
    for (const bad of [`${moved}.${sig}`, `${payload}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`, 'garbage', `${payload}.${sig}.x`]) {
      const r = await web.req('GET', url(t2, 2, `?token=${encodeURIComponent(bad)}`), { token });
      expect(r.status, bad).toBe(400);
      assertComponent('HTTPExceptionResponse', r.body);
      expect(r.body.detail).toMatch(/^Bad Signature\. Please use only the tokens provided by the API\./);
    }
    const foreign = await web.req('GET', url(t1, 2, `?token=${encodeURIComponent(issued)}`), { token });
    expect(foreign.status).toBe(400);
    expect(foreign.body.detail).toMatch(/another task instance or try/);
    await finishAttempt(web.store, t2, live.log, 'success');
  });
});

describe('path traversal through the log endpoint', () => {
  const attempts = [
    url({ ...t1, dagId: '..%2F..%2F..%2Fsecret.txt' }, 1),
    url({ ...t1, dagId: '..' }, 1),
    url({ ...t1, runId: '..%2F..' }, 1),
    url({ ...t1, taskId: '%2Fetc%2Fpasswd' }, 1),
    url({ ...t1, taskId: '..%2F..%2F..%2F..%2Fsecret.txt' }, 1),
    url({ ...t1, taskId: '%2E%2E' }, 1),
    url(t1, '..%2F..%2Fsecret.txt'),
    url(t1, '1%2F..%2F..%2F..'),
    url(t1, '%2Fetc%2Fpasswd'),
    url(t1, '-1'),
    url(t1, '1e3'),
    url({ ...t1, dagId: 'a'.repeat(5000) }, 1),
    url({ ...t1, runId: `r1${'%2F..'.repeat(40)}` }, 1),
  ];

  it('never answers with anything outside the logs folder, whatever the ids or try number', async () => {
    for (const attempt of attempts) {
      const r = await web.req('GET', attempt, { token });
      expect([404, 422], attempt).toContain(r.status);
      expect(r.text).not.toContain(SECRET);
      expect(r.text).not.toContain('root:');
      expect(r.text, attempt).not.toContain(ws.home);
    }
  });

  it('reads nothing for a task instance whose recorded task id holds ../ (put in the database by hand)', async () => {
    web.store.db.prepare(`INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number) VALUES ('job', 'r1', '../../../../secret.txt', 'success', 1)`).run();
    const r = await web.req('GET', url({ ...t1, taskId: '..%2F..%2F..%2F..%2Fsecret.txt' }, 1), { token });
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ detail: 'TaskInstance not found' });
    expect(r.text).not.toContain(SECRET);
  });

  it('does not follow a symlink put in place of an attempt log', async () => {
    const f = file(t2, 1);
    const kept = fs.readFileSync(f);
    fs.rmSync(f);
    fs.symlinkSync(path.join(ws.home, 'secret.txt'), f);
    try {
      const r = await log(url(t2, 1));
      expect(r.status).toBe(404);
      expect(r.text).not.toContain(SECRET);
    } finally {
      fs.rmSync(f);
      fs.writeFileSync(f, kept);
    }
  });
});
