// The admin pages rendered on the server, without a browser, over real HTTP: each page's status and key content (so
// a failure names the page that broke), sign-in and its redirects, no-store, the CSP, CSRF and role checks on the
// pause action, logout revoking the session, and the author-controlled texts escaped wherever they are shown.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uiFixture, type UiFixture } from '../support/ui.js';
import { UI_FILES, XSS } from '../support/ui-files.js';
import { csrfOf, page, signIn } from '../support/ui-session.js';
import { attemptLogPath } from '../../engine/run/task-log.js';
import { setVariable } from '../../engine/service/variables.js';
import { runSince, trySince } from '../support/running-run.js';

let f: UiFixture;
let admin: string;
let viewer: string;
let runId: string;
let op: string;

beforeAll(async () => {
  f = await uiFixture(UI_FILES);
  await f.web.userToken('admin');
  await f.web.userToken('viewer');
  admin = await signIn(f.web, 'admin', 'admin-password');
  viewer = await signIn(f.web, 'viewer', 'viewer-password');
  runId = f.run('etl', '2024-01-02T00:00:00Z', { note: XSS.svg }).run_id;
  f.ti('etl', runId, 'extract', 'queued');
  f.ti('etl', runId, 'extract', 'running');
  f.ti('etl', runId, 'extract', 'success');
  f.web.store.xcom.push('etl', runId, 'extract', 'return_value', { out: XSS.script });
  const log = attemptLogPath(f.ws.home, 'etl', runId, 'extract', 1);
  fs.mkdirSync(path.dirname(log), { recursive: true });
  fs.writeFileSync(log, `[2024-01-02T00:00:01Z] {INFO} hello ${XSS.img}\n[2024-01-02T00:00:02Z] {INFO} done\n`);
  await f.web.userToken('op');
  op = await signIn(f.web, 'op', 'op-password');
  setVariable(f.web.store, { key: 'greeting', value: `hi ${XSS.svg}`, description: XSS.img });
  setVariable(f.web.store, { key: 'warehouse_password', value: 'hunter2-pw' });
  setVariable(f.web.store, { key: 'gcp', value: { project: 'p1', private_key: 'pk-secret-text' } });
}, 60_000);
afterAll(() => f?.close());

describe('sign-in', () => {
  it('redirects a page without a session to /login?next=, and signs in back to a same-origin path only', async () => {
    const r = await page(f.web, '/dags/etl?run=x');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/dags/etl?run=x')}`);
    const form = await page(f.web, '/login?next=//evil.example/x');
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="next" value="/"');
    const res = await fetch(`${f.web.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: f.web.url },
      body: new URLSearchParams({ username: 'admin', password: 'admin-password', next: 'https://evil.example/' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^_token=[^;]+; Max-Age=86400; Path=\/; HttpOnly; SameSite=Lax$/);
  });

  it('refuses a wrong password with 401 and the form again', async () => {
    const r = await page(f.web, '/login', { form: { username: 'admin', password: 'nope' } });
    expect(r.status).toBe(401);
    expect(r.text).toContain('Invalid credentials');
    expect(r.headers.get('set-cookie')).toBeNull();
  });

  it('shares the rate limit of POST /auth/token', async () => {
    const fx = await uiFixture({}, { WINDSOCK_WEB_LOGIN_RATE: '2' });
    try {
      expect((await fx.web.req('POST', '/auth/token', { json: { username: 'a', password: 'b' } })).status).toBe(401);
      expect((await page(fx.web, '/login', { form: { username: 'a', password: 'b' } })).status).toBe(401);
      const third = await page(fx.web, '/login', { form: { username: 'a', password: 'b' } });
      expect(third.status).toBe(429);
      expect(third.text).toContain('Too many login attempts');
    } finally {
      await fx.close();
    }
  });
});

describe('pages', () => {
  it('/ lists the DAGs with owner, tags, schedule in words with its timezone, recent runs and the broken file banner', async () => {
    const r = await page(f.web, '/', { cookie: admin });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(r.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(r.text).toContain('href="/dags/etl"');
    expect(r.text).toContain('alice');
    expect(r.text).toMatch(/At 00:00<\/span><span class="muted">, Europe\/Paris|Europe\/Paris/);
    expect(r.text).toContain(`id="m:etl:${runId}"`);
    expect(r.text).toContain('Broken DAG: ');
    expect(r.text).toContain('broken.yaml:3:3');
    expect(r.text).toContain('/code?file=broken.yaml#L3');
    expect(r.text).toContain('action="/actions/pause"');
  });

  it('/ filters by search, tag, last state and paused', async () => {
    const ids = async (q: string) => [...(await page(f.web, `/?${q}`, { cookie: admin })).text.matchAll(/<tr data-dag="([^"]+)"/g)].map((m) => m[1]);
    expect(await ids('')).toEqual(['etl', 'report']);
    expect(await ids('q=rep')).toEqual(['report']);
    expect(await ids('tag=team-b')).toEqual(['report']);
    expect(await ids('state=queued')).toEqual(['etl']);
    expect(await ids('paused=paused')).toEqual([]);
  });

  it('/dags/etl shows the grid: the run as a column, every task as a row, the group collapsible, cells with state symbols', async () => {
    const r = await page(f.web, '/dags/etl', { cookie: admin });
    expect(r.status).toBe(200);
    expect(r.text).toContain(`<th class="bar" data-run="${runId}">`);
    // a cell: its state's class and symbol, and a short link to its panel (the run by its row id); the legend names the symbols
    const row = f.web.store.runs.get('etl', runId)!.id;
    expect(r.text).toContain(`<tr data-task="extract"><th class="task" scope="row" title="bash">extract</th><td><a class="st-success" href="?r=${row}&t=extract">✓</a>`);
    expect(r.text).toMatch(/<p class="legend"[^>]*>.*✓<\/span> success/);
    expect(r.text.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(r.text).toContain('<tr data-task="load.to_warehouse" data-group="load"><th class="task in-group" scope="row" title="empty">to_warehouse</th>');
    expect(r.text).toContain('data-group-toggle="load"');
  });

  it("a grid cell's short link (?r=<run row id>&t=<task>) opens the same panel as ?run=&task=; an unknown row id says so", async () => {
    const row = f.web.store.runs.get('etl', runId)!.id;
    const panelOf = (html: string) => /<aside class="panel"[\s\S]*?<\/aside>/.exec(html)?.[0];
    const long = await page(f.web, `/dags/etl?run=${encodeURIComponent(runId)}&task=extract`, { cookie: admin });
    const short = await page(f.web, `/dags/etl?r=${row}&t=extract`, { cookie: admin });
    expect(short.status).toBe(200);
    expect(panelOf(short.text)).toContain('extract');
    expect(panelOf(short.text)).toBe(panelOf(long.text));
    expect(short.text).toContain(`<a aria-selected="true" class="st-success" href="?r=${row}&t=extract">`);
    const fragment = await page(f.web, `/dags/etl/fragment/panel?r=${row}&t=extract`, { cookie: admin });
    expect(fragment.text).toBe(panelOf(long.text));
    const unknown = await page(f.web, `/dags/etl?r=99999&t=extract`, { cookie: admin });
    expect(panelOf(unknown.text)).toContain('No task extract in run #99999.');
  });

  it('/dags/etl?run=&task= opens the task instance panel: tries, rendered arguments, XCom and the log link', async () => {
    const r = await page(f.web, `/dags/etl?run=${encodeURIComponent(runId)}&task=extract`, { cookie: admin });
    expect(r.status).toBe(200);
    expect(r.text).toContain('data-ti-panel');
    expect(r.text).toContain('echo 2024-01-02'); // {{ ds }} rendered for this run
    expect(r.text).toContain('return_value');
    expect(r.text).toContain(`/dags/etl/runs/${encodeURIComponent(runId)}/tasks/extract?try=1`);
  });

  it('the DAG tabs render: runs, code, details, audit, graph, gantt', async () => {
    const tab = (t: string) => page(f.web, `/dags/etl/${t}`, { cookie: admin });
    const runs = await tab('runs?state=queued');
    expect(runs.status).toBe(200);
    expect(runs.text).toContain(runId);
    expect(runs.text).toContain('2024-01-02 01:00 Europe/Paris');
    const code = await tab('code');
    expect(code.text).toContain('id="L1"');
    const details = await tab('details');
    expect(details.text).toContain('<h1>Daily ETL</h1>');
    expect(details.text).toContain('href="https://example.org/etl" rel="noopener noreferrer nofollow"');
    expect(details.text).toContain('Next runs');
    const audit = await tab('audit');
    expect(audit.text).toContain('dag_run_created');
    const graph = await tab('graph');
    expect(graph.text).toContain('data-graph=');
    expect(graph.text).toMatch(/src="\/assets\/graph\.js\?v=/);
    const gantt = await tab('gantt');
    expect(gantt.text).toContain('Gantt chart of run');
  });

  it('the code view of a broken file highlights the line of its import error', async () => {
    const r = await page(f.web, '/code?file=broken.yaml', { cookie: admin });
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/<span class="line error" id="L3"/);
    expect((await page(f.web, '/code?file=../home/jwt_secret', { cookie: admin })).status).toBe(404);
  });

  it('the log page shows the attempt log, the try selector, download, and the tail URL', async () => {
    const base = `/dags/etl/runs/${encodeURIComponent(runId)}/tasks/extract`;
    const r = await page(f.web, `${base}?try=1`, { cookie: admin });
    expect(r.status).toBe(200);
    expect(r.text).toContain('{INFO} done');
    expect(r.text).toContain('Wrap lines');
    expect(r.text).toContain('download=1');
    const tail = await page(f.web, `${base}/log.txt?try=1&from=10`, { cookie: admin });
    expect(tail.headers.get('x-log-offset')).toBe(String(fs.statSync(attemptLogPath(f.ws.home, 'etl', runId, 'extract', 1)).size));
    expect(tail.text.endsWith('{INFO} done\n')).toBe(true);
    // before=N: the lines that end at byte N (what the log view fetches when its reader scrolls up)
    const size = fs.statSync(attemptLogPath(f.ws.home, 'etl', runId, 'extract', 1)).size;
    const firstLineEnd = fs.readFileSync(attemptLogPath(f.ws.home, 'etl', runId, 'extract', 1), 'utf8').indexOf('\n') + 1;
    const above = await page(f.web, `${base}/log.txt?try=1&before=${firstLineEnd}`, { cookie: admin });
    expect(above.headers.get('x-log-from')).toBe('0');
    expect(above.headers.get('x-log-offset')).toBe(String(firstLineEnd));
    expect(above.text).toMatch(/^\[2024-01-02T00:00:01Z\] \{INFO\} hello .*\n$/);
    expect((await page(f.web, `${base}/log.txt?try=1&before=${size + 100}`, { cookie: admin })).headers.get('x-log-offset')).toBe(String(size));
    const dl = await page(f.web, `${base}/log.txt?try=1&download=1`, { cookie: admin });
    expect(dl.headers.get('content-disposition')).toMatch(/^attachment; filename="etl__manual__/);
  });

  it('Browse and Admin pages render; users is for admins only', async () => {
    expect((await page(f.web, '/runs?state=queued', { cookie: viewer })).text).toContain(runId);
    expect((await page(f.web, '/task-instances?state=success', { cookie: viewer })).text).toContain('>extract</a>');
    expect((await page(f.web, '/import-errors', { cookie: viewer })).text).toContain('broken.yaml:3:3');
    expect((await page(f.web, '/audit-log', { cookie: viewer })).text).toContain('dag_run_created');
    expect((await page(f.web, '/pools', { cookie: viewer })).text).toContain('default_pool');
    expect((await page(f.web, '/users', { cookie: viewer })).status).toBe(403);
    expect((await page(f.web, '/users', { cookie: admin })).text).toContain('viewer');
  });

  it('serves the script with a content hash and a long cache', async () => {
    const html = (await page(f.web, '/', { cookie: admin })).text;
    const src = /src="(\/assets\/admin\.js\?v=[^"]+)"/.exec(html)![1];
    const r = await page(f.web, src);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(r.headers.get('content-type')).toMatch(/^text\/javascript/);
  });
});

describe('actions', () => {
  it('pause: GET shows the confirmation with the dry run and changes nothing; POST with the token pauses it', async () => {
    const confirm = await page(f.web, '/actions/pause?dag_id=report&paused=true', { cookie: admin });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Pause DAG report');
    expect(confirm.text).toContain('id="dry-run"');
    expect(f.web.store.dags.get('report')!.is_paused).toBe(0);
    const done = await page(f.web, '/actions/pause', { cookie: admin, form: { csrf: csrfOf(confirm.text), dag_id: 'report', paused: 'true' } });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toMatch(/^\/\?notice=DAG\+report\+is\+paused/);
    expect(f.web.store.dags.get('report')!.is_paused).toBe(1);
    const audit = f.web.store.db.prepare(`SELECT owner FROM log WHERE dag_id = 'report' AND event = 'pause'`).pluck().get();
    expect(audit).toBe('admin');
  });

  it('clear: the run panel offers it to a user, not a viewer; GET lists what will be cleared and changes nothing; POST clears it', async () => {
    const failed = f.run('etl', '2024-01-05T00:00:00Z').run_id;
    f.ti('etl', failed, 'extract', 'success');
    f.ti('etl', failed, 'load.to_lake', 'failed');
    f.runState('etl', failed, 'failed');
    const panelPath = `/dags/etl/fragment/panel?run=${encodeURIComponent(failed)}`;
    expect((await page(f.web, panelPath, { cookie: admin })).text).toContain('Clear failed tasks');
    expect((await page(f.web, panelPath, { cookie: viewer })).text).not.toContain('/actions/clear');
    const q = new URLSearchParams({ dag_id: 'etl', run_id: failed, only_failed: 'true' });
    const confirm = await page(f.web, `/actions/clear?${q}`, { cookie: admin });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(`These 1 task instance of run ${failed} will be cleared`);
    expect(confirm.text).toContain('<li>load.to_lake (failed)</li>');
    const state = () => f.web.store.tis.get({ dagId: 'etl', runId: failed, taskId: 'load.to_lake' })!.state;
    expect(state()).toBe('failed');
    const asViewer = await page(f.web, '/actions/clear', { cookie: viewer, form: { csrf: csrfOf(confirm.text), dag_id: 'etl', run_id: failed, only_failed: 'true' } });
    expect(asViewer.status).toBe(403);
    expect(state()).toBe('failed');
    const done = await page(f.web, '/actions/clear', { cookie: admin, form: { csrf: csrfOf(confirm.text), dag_id: 'etl', run_id: failed, only_failed: 'true' } });
    expect(done.status).toBe(303);
    expect(decodeURIComponent(done.headers.get('location')!.replaceAll('+', ' '))).toContain('notice=1 task instance cleared.');
    expect(state()).toBeNull();
    expect(f.web.store.tis.get({ dagId: 'etl', runId: failed, taskId: 'extract' })!.state).toBe('success');
    expect(f.web.store.runs.get('etl', failed)!.state).toBe('queued');
    expect(f.web.store.db.prepare(`SELECT owner FROM log WHERE dag_id = 'etl' AND event = 'clear' AND run_id = ?`).pluck().get(failed)).toBe('admin');
    const nothing = await page(f.web, `/actions/clear?${q}`, { cookie: admin });
    expect(nothing.status).toBe(409);
  });

  it('refuses a post without the CSRF token, a cross-origin post, and a viewer, changing nothing', async () => {
    const before = f.web.store.dags.get('etl')!.is_paused;
    const token = csrfOf((await page(f.web, '/', { cookie: admin })).text);
    expect((await page(f.web, '/actions/pause', { cookie: admin, form: { dag_id: 'etl', paused: 'true' } })).status).toBe(403);
    expect((await page(f.web, '/actions/pause', { cookie: admin, origin: 'https://evil.example', form: { csrf: token, dag_id: 'etl', paused: 'true' } })).status).toBe(403);
    expect((await page(f.web, '/actions/pause', { cookie: admin, origin: null, form: { csrf: token, dag_id: 'etl', paused: 'true' } })).status).toBe(403);
    const viewerToken = csrfOf((await page(f.web, '/', { cookie: viewer })).text);
    const forged = await page(f.web, '/actions/pause', { cookie: viewer, form: { csrf: viewerToken, dag_id: 'etl', paused: 'true' } });
    expect(forged.status).toBe(403);
    expect((await page(f.web, '/actions/pause?dag_id=etl&paused=true', { cookie: viewer })).status).toBe(403);
    expect(f.web.store.dags.get('etl')!.is_paused).toBe(before);
  });

  it('a viewer sees no action buttons', async () => {
    const r = await page(f.web, '/', { cookie: viewer });
    expect(r.text).not.toContain('/actions/');
    expect((await page(f.web, '/dags/etl', { cookie: viewer })).text).not.toContain('/actions/');
  });
});

describe('escaping', () => {
  it('no author-controlled payload reaches a page as markup', async () => {
    const pages = ['/', '/dags/etl', `/dags/etl?run=${encodeURIComponent(runId)}&task=extract`, '/dags/etl/details', '/dags/etl/runs', '/dags/etl/code',
      '/import-errors', '/code?file=broken.yaml', `/dags/etl/runs/${encodeURIComponent(runId)}/tasks/extract?try=1`, '/runs', `/dags/etl?run=${encodeURIComponent(runId)}`,
      '/variables', '/variables?edit=greeting', '/xcoms', '/config', '/dags/etl/graph'];
    for (const p of pages) {
      const r = await page(f.web, p, { cookie: admin });
      expect(r.status, p).toBe(200);
      expect(r.text, p).not.toMatch(/<script>window|<img src=x|<svg onload|href="javascript:/i);
    }
  });
});

describe('admin pages: variables, configuration, XComs', () => {
  it('/variables lists the values, masking those of secret-looking keys, for op and admin only', async () => {
    const r = await page(f.web, '/variables', { cookie: op });
    expect(r.status).toBe(200);
    expect(r.text).toContain('<td data-label="Key" class="mono">greeting</td>');
    expect(r.text).toContain('hi &quot;&gt;&lt;svg onload=window.__xss=1&gt;');
    expect(r.text).not.toContain('hunter2-pw');
    expect(r.text).not.toContain('pk-secret-text');
    expect(r.text).toContain('&quot;project&quot;:&quot;p1&quot;');
    expect(r.text).toContain('<a href="/variables" aria-current="page">Variables</a>');
    const edit = await page(f.web, '/variables?edit=warehouse_password', { cookie: op });
    expect(edit.text).not.toContain('hunter2-pw');
    const v = await page(f.web, '/variables', { cookie: viewer });
    expect(v.status).toBe(403);
    expect(v.text).not.toContain('greeting');
    expect((await page(f.web, '/', { cookie: viewer })).text).not.toContain('href="/variables"');
  });

  it('/variables creates, edits and deletes through the form, with the CSRF token; a viewer or a post without the token changes nothing', async () => {
    const csrf = csrfOf((await page(f.web, '/variables', { cookie: op })).text);
    const made = await page(f.web, '/variables', { cookie: op, form: { csrf, op: 'set', key: 'region', value: 'idf', description: 'where' } });
    expect(made.status).toBe(303);
    expect(f.web.store.variables.get('region')).toMatchObject({ val: 'idf', description: 'where' });
    await page(f.web, '/variables', { cookie: op, form: { csrf, op: 'set', key: 'region', value: 'paris' } });
    expect(f.web.store.variables.get('region')!.val).toBe('paris');
    // an edit of a secret left empty keeps the value the form never showed
    await page(f.web, '/variables', { cookie: op, form: { csrf, op: 'set', key: 'warehouse_password', value: '' } });
    expect(f.web.store.variables.get('warehouse_password')!.val).toBe('hunter2-pw');
    const noToken = await page(f.web, '/variables', { cookie: op, form: { op: 'delete', key: 'region' } });
    expect(noToken.status).toBe(403);
    const viewerCsrf = csrfOf((await page(f.web, '/', { cookie: viewer })).text);
    expect((await page(f.web, '/variables', { cookie: viewer, form: { csrf: viewerCsrf, op: 'delete', key: 'region' } })).status).toBe(403);
    expect((await page(f.web, '/variables', { cookie: op, form: { csrf, op: 'delete', key: 'region' }, origin: 'http://evil.example' })).status).toBe(403);
    expect(f.web.store.variables.get('region')).toBeDefined();
    const bad = await page(f.web, '/variables', { cookie: op, form: { csrf, op: 'set', key: '' } });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('a key is required');
    expect((await page(f.web, '/variables', { cookie: op, form: { csrf, op: 'delete', key: 'region' } })).status).toBe(303);
    expect(f.web.store.variables.get('region')).toBeUndefined();
  });

  it('/config shows the settings with secrets hidden, for op and admin only', async () => {
    const r = await page(f.web, '/config', { cookie: admin });
    expect(r.status).toBe(200);
    expect(r.text).toContain('[core]');
    expect(r.text).toMatch(/sql_alchemy_conn<\/th><td class="mono">&lt; hidden &gt;</);
    expect(r.text).not.toContain('windsock.db');
    expect((await page(f.web, '/config', { cookie: viewer })).status).toBe(403);
  });

  it('/xcoms lists the XComs with filters, values as text', async () => {
    const r = await page(f.web, '/xcoms?dag_id=etl', { cookie: viewer });
    expect(r.status).toBe(200);
    expect(r.text).toContain('return_value');
    expect(r.text).toContain('&lt;script&gt;window.__xss=1&lt;/script&gt;');
    expect((await page(f.web, '/xcoms?dag_id=report', { cookie: viewer })).text).toContain('No XCom matches these filters.');
  });
});

describe('logout', () => {
  it('revokes the session: the same cookie no longer opens a page', async () => {
    const cookie = await signIn(f.web, 'admin', 'admin-password');
    const token = csrfOf((await page(f.web, '/', { cookie })).text);
    const out = await page(f.web, '/logout', { cookie, form: { csrf: token } });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^_token=; Max-Age=0; Path=\//);
    const after = await page(f.web, '/', { cookie });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/login/);
    const events = await page(f.web, '/api/windsock/events', { cookie });
    expect(events.status).toBe(403);
  });
});

describe('a run that still runs, as the server draws it (what a reader without script sees)', () => {
  it('the Gantt tab ends a running bar and the axis at the render and says so; the Runs tab and the panel say how long so far', async () => {
    const { store } = f.web;
    // Before the fixture's run: the DAG's latest run and its state stay what the other tests expect.
    const run = f.run('etl', '2023-06-01T00:00:00Z').run_id;
    runSince(store, 'etl', run, 40);
    trySince(store, { dagId: 'etl', runId: run, taskId: 'extract' }, 40, { endedAgo: 30, state: 'success' });
    trySince(store, { dagId: 'etl', runId: run, taskId: 'load.to_lake' }, 30);
    const gantt = (await page(f.web, `/dags/etl/gantt?run=${encodeURIComponent(run)}`, { cookie: viewer })).text;
    expect(gantt).toMatch(/<title>load\.to_lake try 1: running, 3\d s so far<\/title>/);
    expect(gantt).toMatch(/<title>extract try 1: success, (9\.9|10\.0|10) s<\/title>/);
    expect(gantt).toMatch(/to now \(<span data-gantt-total="true">4\d s so far, as of \d\d:\d\d:\d\d UTC<\/span>\)/);
    // on its task's track (1000 units, stretched to the width there is), the running bar ends where the axis ends (the
    // render), the finished one a quarter of the way along
    const bar = (task: string) => {
      const m = new RegExp(`<rect class="[^"]*" x="([\\d.]+)" y="\\d+" width="([\\d.]+)"[^>]*><title>${task.replace('.', '\\.')} try 1`).exec(gantt)!;
      return { x: Number(m[1]), end: Number(m[1]) + Number(m[2]) };
    };
    expect(bar('load.to_lake').end).toBeCloseTo(1000, 0);
    expect(bar('extract').end).toBeCloseTo(1000 / 4, -1);
    // each task's name is text of its own (beside its bars on a wide screen, above them on a phone)
    expect(gantt).toContain('<span class="gantt-task" title="load.to_lake">load.to_lake</span>');
    // the task instance panel: the running try's duration so far, with the seconds it stands for; the ended one's final
    const panel = (task: string) => page(f.web, `/dags/etl/fragment/panel?run=${encodeURIComponent(run)}&task=${task}`, { cookie: viewer });
    expect((await panel('load.to_lake')).text).toMatch(/<td data-label="Duration"><span data-elapsed="3\d\.\d">3\d s so far<\/span><\/td>/);
    expect((await panel('extract')).text).toMatch(/<td data-label="Duration">(9\.9|10\.0|10) s<\/td>/);
    const runs = (await page(f.web, '/dags/etl/runs', { cookie: viewer })).text;
    expect(runs).toMatch(new RegExp(`<span id="rd:etl:${run.replace(/[.+]/g, '\\$&')}" data-elapsed="4\\d\\.\\d">4\\d s so far</span>`));
    // a finished run reads its final duration, with nothing to count
    store.tx(() => store.runs.setState('etl', run, 'success'));
    const after = (await page(f.web, '/dags/etl/runs', { cookie: viewer })).text;
    expect(after).not.toContain(`id="rd:etl:${run}"`);
    expect(after).not.toContain('so far');
    expect((await page(f.web, `/dags/etl/gantt?run=${encodeURIComponent(run)}`, { cookie: viewer })).text).toMatch(/<title>extract try 1: success, (9\.9|10\.0|10) s<\/title>/);
  });
});
