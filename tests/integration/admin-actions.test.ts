// The admin UI's actions over real HTTP, without a browser: each action's form and confirmation page (the dry run:
// what it will do, before it does it, changing nothing), the POST's effect in the state database and the audit log,
// the redirect back to where the user was, a viewer's 403, a missing / forged / cross-site CSRF refused with nothing
// changed, and the trigger form's messages for bad conf JSON, a bad run id and a bad param.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uiFixture, type UiFixture } from '../support/ui.js';
import { UI_FILES } from '../support/ui-files.js';
import { csrfOf, page, signIn } from '../support/ui-session.js';

const FILES = {
  ...UI_FILES,
  'typed.yaml': `typed:
  schedule: "@daily"
  catchup: false
  params: {n: 3, ratio: 0.5, loud: true, who: world, tags: [a, b]}
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: a, operator: empty}
    - {task_id: b, operator: empty, dependencies: [a]}
    - {task_id: c, operator: empty, dependencies: [b]}
`,
};

let f: UiFixture;
let admin: string;
let viewer: string;
let csrf: string;
const enc = encodeURIComponent;
/** Decoded text of a page, for reading messages that contain quotes. */
const unescape = (html: string) => html.replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
const notice = (location: string | null) => new URL(location!, 'http://x').searchParams.get('notice');
const ti = (dagId: string, runId: string, taskId: string) => f.web.store.tis.get({ dagId, runId, taskId })!.state;
const audit = (event: string, dagId: string) => f.web.store.db.prepare('SELECT owner FROM log WHERE event = ? AND dag_id = ? ORDER BY id DESC').pluck().get(event, dagId);

beforeAll(async () => {
  f = await uiFixture(FILES);
  await f.web.userToken('admin');
  await f.web.userToken('viewer');
  admin = await signIn(f.web, 'admin', 'admin-password');
  viewer = await signIn(f.web, 'viewer', 'viewer-password');
  csrf = csrfOf((await page(f.web, '/', { cookie: admin })).text);
}, 60_000);
afterAll(() => f?.close());

/** A run of `typed` with a: success, b: failed, c: upstream_failed (a failed run, as the run loop leaves it). */
function failedRun(date: string): string {
  const run = f.run('typed', date).run_id;
  f.ti('typed', run, 'a', 'success');
  f.ti('typed', run, 'b', 'failed');
  f.web.store.tx(() => f.web.store.tis.mark({ dagId: 'typed', runId: run, taskId: 'c' }, 'upstream_failed'));
  f.runState('typed', run, 'failed');
  return run;
}

describe('trigger', () => {
  it('the form has the logical date, the run id, a field per param typed by its default, and conf', async () => {
    const r = await page(f.web, '/actions/trigger?dag_id=typed', { cookie: admin });
    expect(r.status).toBe(200);
    expect(r.text).toContain('name="logical_date"');
    expect(r.text).toMatch(/<input type="text" id="f-run_id" name="run_id"[^>]* pattern="\[A-Za-z0-9_\.~:\+\\-\]\+"/);
    expect(r.text).toMatch(/<input type="number" id="f-param.n" name="param.n"[^>]* value="3"[^>]* step="1"/);
    expect(r.text).toMatch(/<input type="number" id="f-param.ratio" name="param.ratio"[^>]* value="0.5"[^>]* step="any"/);
    expect(r.text).toMatch(/<select id="f-param.loud" name="param.loud"[^>]*><option value="true" selected="">true<\/option><option value="false">false<\/option>/);
    expect(r.text).toMatch(/<input type="text" id="f-param.who" name="param.who"[^>]* value="world"/);
    expect(r.text).toContain('name="param.tags"');
    expect(r.text).toContain('name="conf"');
    expect(r.text).toContain('action="/actions/trigger"');
    // The form is a GET (its answer changes nothing): it carries no CSRF token into a URL.
    expect(r.text).not.toMatch(/<form method="get" action="\/actions\/trigger"[^>]*>(?:(?!<\/form>).)*name="csrf"/s);
  });

  it('bad conf JSON, a bad run id and a bad param come back as the form with the message at the field; nothing is created', async () => {
    const before = f.web.store.runs.list({ dagId: 'typed' }).length;
    const bad = await page(f.web, `/actions/trigger?dag_id=typed&review=1&conf=${enc('{"x": 1,}')}`, { cookie: admin });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/<textarea[^>]* name="conf"[^>]* aria-invalid="true"/);
    expect(unescape(bad.text)).toMatch(/id="f-conf-error" class="error" role="alert">⚠ not valid JSON: [^<]+; write an object such as \{"key": "value"\}/);
    expect(bad.text).toContain('{&quot;x&quot;: 1,}'); // what the user typed stays in the field
    const array = await page(f.web, `/actions/trigger?dag_id=typed&review=1&conf=${enc('[1]')}`, { cookie: admin });
    expect(unescape(array.text)).toContain('must be a JSON object such as {"key": "value"}, not an array');
    const id = await page(f.web, `/actions/trigger?dag_id=typed&review=1&run_id=${enc('my run/1')}`, { cookie: admin });
    expect(id.status).toBe(422);
    expect(unescape(id.text)).toContain("run id 'my run/1' contains space, '/': use only letters, digits, '.', '_', '~', ':', '+' and '-'");
    const param = await page(f.web, `/actions/trigger?dag_id=typed&review=1&param.n=2.5&param.loud=maybe`, { cookie: admin });
    expect(param.status).toBe(422);
    expect(unescape(param.text)).toContain('param n must be a whole number (its default is one), got \'2.5\'');
    expect(unescape(param.text)).toContain("param loud must be true or false, got 'maybe'");
    const early = await page(f.web, `/actions/trigger?dag_id=typed&review=1&logical_date=2023-06-01T00:00`, { cookie: admin });
    expect(early.status).toBe(400);
    expect(unescape(early.text)).toMatch(/id="f-logical_date-error" class="error" role="alert">⚠ logical_date 2023-06-01T00:00:00\+00:00 is before the DAG's start_date/);
    expect(f.web.store.runs.list({ dagId: 'typed' }).length).toBe(before);
  });

  it('the confirmation shows the run it will create with the conf from params and JSON; POST queues it and goes back', async () => {
    const fields = { dag_id: 'typed', logical_date: '2024-03-01T06:00', run_id: 'from_the_form', 'param.n': '4', 'param.loud': 'false', 'param.tags': '["x"]', conf: '{"who": "json wins", "extra": 1}', back: '/?tag=team-b' };
    const confirm = await page(f.web, `/actions/trigger?review=1&${new URLSearchParams(fields)}`, { cookie: admin });
    expect(confirm.status).toBe(200);
    const text = unescape(confirm.text);
    expect(text).toContain('<li>Run id: from_the_form</li>');
    expect(text).toContain('<li>Logical date: 2024-03-01T06:00:00+00:00');
    expect(text).toContain('<li>Data interval: 2024-02-29T00:00:00+00:00 to 2024-03-01T00:00:00+00:00</li>');
    expect(text).toContain('<li>Conf: {"n":4,"ratio":0.5,"loud":false,"who":"json wins","tags":["x"],"extra":1}</li>');
    expect(confirm.text).toContain(`href="/actions/trigger?${new URLSearchParams({ ...fields })}"`.replace(/&/g, '&amp;')); // Edit goes back to the form, filled
    expect(f.web.store.runs.get('typed', 'from_the_form')).toBeUndefined();
    const done = await page(f.web, '/actions/trigger', { cookie: admin, form: { csrf: csrfOf(confirm.text), ...fields } });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toMatch(/^\/\?tag=team-b&notice=/);
    expect(notice(done.headers.get('location'))).toBe('Run from_the_form of typed is queued.');
    const run = f.web.store.runs.get('typed', 'from_the_form')!;
    expect(run).toMatchObject({ state: 'queued', run_type: 'manual', logical_date: '2024-03-01T06:00:00.000Z', triggered_by: 'ui', triggering_user_name: 'admin' });
    expect(JSON.parse(run.conf)).toEqual({ n: 4, ratio: 0.5, loud: false, who: 'json wins', tags: ['x'], extra: 1 });
    expect(audit('trigger', 'typed')).toBe('admin');
    const again = await page(f.web, '/actions/trigger', { cookie: admin, form: { csrf, ...fields } });
    expect(again.status).toBe(409);
    expect(again.text).toMatch(/id="f-run_id-error" class="error" role="alert">⚠ a run of typed with run id from_the_form already exists: pass another run_id/);
  });

  it('without a logical date it triggers now; the trigger button sits on the DAG list and the DAG page; the page the user came from is where it goes back', async () => {
    expect((await page(f.web, '/', { cookie: admin })).text).toMatch(/<form method="get" action="\/actions\/trigger" class="inline"><input type="hidden" name="dag_id" value="typed"\/>/);
    expect((await page(f.web, '/dags/typed', { cookie: admin })).text).toContain('action="/actions/trigger"');
    const res = await fetch(`${f.web.url}/actions/trigger?dag_id=typed`, { headers: { cookie: admin, referer: `${f.web.url}/dags/typed?notice=old` } });
    expect(await res.text()).toContain('<input type="hidden" name="back" value="/dags/typed"/>');
    const confirm = await page(f.web, '/actions/trigger?dag_id=typed&review=1&back=/dags/typed', { cookie: admin });
    expect(unescape(confirm.text)).toContain('<li>Run id: manual__<the moment you confirm></li>');
    const t0 = Date.now();
    const done = await page(f.web, '/actions/trigger', { cookie: admin, form: { csrf, dag_id: 'typed', logical_date: '', run_id: '', conf: '', back: '/dags/typed' } });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toMatch(/^\/dags\/typed\?notice=Run\+manual__/);
    const id = /Run (manual__\S+) of/.exec(notice(done.headers.get('location'))!)![1];
    const run = f.web.store.runs.get('typed', id)!;
    expect(Date.parse(run.logical_date)).toBeGreaterThanOrEqual(t0 - 1000);
    expect(JSON.parse(run.conf)).toEqual({ n: 3, ratio: 0.5, loud: true, who: 'world', tags: ['a', 'b'] });
  });
});

describe('clear', () => {
  it('a task with its upstream / downstream, or only failed: the switches change the dry run; POST clears what it listed', async () => {
    const run = failedRun('2024-02-01T00:00:00Z');
    const base = `/actions/clear?dag_id=typed&run_id=${enc(run)}&task_id=b`;
    const alone = await page(f.web, base, { cookie: admin });
    expect(alone.status).toBe(200);
    expect(alone.text).toContain('<ul id="dry-run"><li>b (failed)</li></ul>');
    expect(alone.text).toContain(`href="/actions/clear?dag_id=typed&amp;run_id=${enc(run)}&amp;task_id=b&amp;downstream=true" data-option="downstream" data-on="false"`);
    const down = await page(f.web, `${base}&downstream=true`, { cookie: admin });
    expect(down.text).toContain('<ul id="dry-run"><li>b (failed)</li><li>c (upstream_failed)</li></ul>');
    const both = await page(f.web, `${base}&downstream=true&upstream=true`, { cookie: admin });
    expect(both.text).toContain('These 3 task instances of run');
    expect(both.text).toContain('>Clear 3 task instances</button>');
    const failedOnly = await page(f.web, `${base}&downstream=true&upstream=true&only_failed=true`, { cookie: admin });
    expect(failedOnly.text).toContain('<ul id="dry-run"><li>b (failed)</li><li>c (upstream_failed)</li></ul>');
    expect(ti('typed', run, 'b')).toBe('failed'); // GETs change nothing
    const done = await page(f.web, '/actions/clear', { cookie: admin, form: { csrf, dag_id: 'typed', run_id: run, task_id: 'b', downstream: 'true' } });
    expect(done.status).toBe(303);
    expect(notice(done.headers.get('location'))).toBe('2 task instances cleared.');
    expect([ti('typed', run, 'a'), ti('typed', run, 'b'), ti('typed', run, 'c')]).toEqual(['success', null, null]);
    expect(f.web.store.runs.get('typed', run)!.state).toBe('queued');
  });

  it('a whole run: all its tasks, or only the failed ones', async () => {
    const run = failedRun('2024-02-02T00:00:00Z');
    const all = await page(f.web, `/actions/clear?dag_id=typed&run_id=${enc(run)}`, { cookie: admin });
    expect(all.text).toContain('<ul id="dry-run"><li>a (success)</li><li>b (failed)</li><li>c (upstream_failed)</li></ul>');
    const done = await page(f.web, '/actions/clear', { cookie: admin, form: { csrf, dag_id: 'typed', run_id: run, only_failed: 'true' } });
    expect(notice(done.headers.get('location'))).toBe('2 task instances cleared.');
    expect(ti('typed', run, 'a')).toBe('success');
  });
});

describe('mark', () => {
  it('a task instance success with its downstream: the confirmation lists each change; POST marks them and resumes the run', async () => {
    const run = failedRun('2024-02-03T00:00:00Z');
    const q = `dag_id=typed&run_id=${enc(run)}&task_id=b&state=success`;
    const alone = await page(f.web, `/actions/mark?${q}`, { cookie: admin });
    expect(alone.status).toBe(200);
    expect(alone.text).toContain('<ul id="dry-run"><li>b: failed → success</li></ul>');
    expect(alone.text).toContain('data-option="upstream"');
    const down = await page(f.web, `/actions/mark?${q}&downstream=true`, { cookie: admin });
    expect(down.text).toContain('These 2 task instances of run');
    expect(down.text).toContain('<ul id="dry-run"><li>b: failed → success</li><li>c: upstream_failed → success</li></ul>');
    expect(ti('typed', run, 'b')).toBe('failed');
    const done = await page(f.web, '/actions/mark', { cookie: admin, form: { csrf, dag_id: 'typed', run_id: run, task_id: 'b', state: 'success', back: `/dags/typed?run=${enc(run)}&task=b` } });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/dags/typed?run=${enc(run)}&task=b&notice=1+task+instance+marked+success.`);
    expect(ti('typed', run, 'b')).toBe('success');
    expect(ti('typed', run, 'c')).toBeNull(); // its upstream_failed downstream is cleared so the run resumes
    expect(audit('mark_success', 'typed')).toBe('admin');
  });

  it('a task instance failed with its upstream', async () => {
    const run = f.run('typed', '2024-02-04T00:00:00Z').run_id;
    f.ti('typed', run, 'a', 'success');
    f.ti('typed', run, 'b', 'queued');
    f.ti('typed', run, 'b', 'running');
    const confirm = await page(f.web, `/actions/mark?dag_id=typed&run_id=${enc(run)}&task_id=b&state=failed&upstream=true`, { cookie: admin });
    expect(confirm.text).toContain('<ul id="dry-run"><li>a: success → failed</li><li>b: running → failed</li></ul>');
    expect(confirm.text).toContain('class="danger"');
    await page(f.web, '/actions/mark', { cookie: admin, form: { csrf, dag_id: 'typed', run_id: run, task_id: 'b', state: 'failed', upstream: 'true' } });
    expect([ti('typed', run, 'a'), ti('typed', run, 'b'), ti('typed', run, 'c')]).toEqual(['failed', 'failed', null]);
  });

  it('a run failed: running task instances fail, those not run are skipped; the run panel offers it', async () => {
    const run = f.run('typed', '2024-02-05T00:00:00Z').run_id;
    f.ti('typed', run, 'a', 'success');
    f.ti('typed', run, 'b', 'queued');
    f.ti('typed', run, 'b', 'running');
    f.runState('typed', run, 'running');
    const panel = await page(f.web, `/dags/typed/fragment/panel?run=${enc(run)}`, { cookie: admin });
    expect(panel.text).toContain('<input type="hidden" name="state" value="failed"/><button type="submit">✗ Mark failed</button>');
    expect(panel.text).toContain('action="/actions/delete-run"');
    const confirm = await page(f.web, `/actions/mark?dag_id=typed&run_id=${enc(run)}&state=failed`, { cookie: admin });
    expect(confirm.text).toContain(`Mark run ${run} failed (it is running now)`);
    expect(confirm.text).toContain('<ul id="dry-run"><li>b: running → failed</li><li>c: none → skipped</li></ul>');
    const done = await page(f.web, '/actions/mark', { cookie: admin, form: { csrf, dag_id: 'typed', run_id: run, state: 'failed' } });
    expect(notice(done.headers.get('location'))).toBe(`Run ${run} marked failed (2 task instances changed).`);
    expect(f.web.store.runs.get('typed', run)!.state).toBe('failed');
    expect([ti('typed', run, 'a'), ti('typed', run, 'b'), ti('typed', run, 'c')]).toEqual(['success', 'failed', 'skipped']);
    expect(audit('dag_run_marked_failed', 'typed')).toBe('admin');
  });
});

describe('delete a run', () => {
  it('the confirmation says how many task instances go with it; POST deletes them and goes back without the run selected', async () => {
    const run = failedRun('2024-02-06T00:00:00Z');
    const confirm = await page(f.web, `/actions/delete-run?dag_id=typed&run_id=${enc(run)}`, { cookie: admin });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(`Delete run ${run} of DAG typed (failed, manual) with its 3 task instances`);
    expect(confirm.text).toContain('<li>3 task instances will be deleted with the run.</li>');
    expect(f.web.store.runs.get('typed', run)).toBeDefined();
    const done = await page(f.web, '/actions/delete-run', { cookie: admin, form: { csrf, dag_id: 'typed', run_id: run, back: `/dags/typed?run=${enc(run)}&task=b` } });
    expect(done.headers.get('location')).toBe(`/dags/typed?notice=${new URLSearchParams({ n: `Run ${run} deleted with its 3 task instances.` }).toString().slice(2)}`);
    expect(f.web.store.runs.get('typed', run)).toBeUndefined();
    expect(f.web.store.tis.forRun('typed', run)).toEqual([]);
    expect(audit('delete_dag_run', 'typed')).toBe('admin');
    expect((await page(f.web, `/actions/delete-run?dag_id=typed&run_id=${enc(run)}`, { cookie: admin })).status).toBe(404);
  });
});

describe('backfill', () => {
  it('the form, its range checks at the fields, the dry run of the runs it creates, then the backfill in the runs', async () => {
    const form = await page(f.web, '/actions/backfill?dag_id=typed', { cookie: admin });
    expect(form.status).toBe(200);
    for (const name of ['from', 'to', 'max_active_runs', 'reprocess', 'run_backwards', 'conf']) expect(form.text).toContain(`name="${name}"`);
    expect((await page(f.web, '/dags/typed', { cookie: admin })).text).toContain('action="/actions/backfill"');
    expect((await page(f.web, '/dags/report', { cookie: admin })).text).not.toContain('action="/actions/backfill"'); // no schedule
    const swapped = await page(f.web, '/actions/backfill?dag_id=typed&review=1&from=2024-01-05T00:00&to=2024-01-01T00:00&max_active_runs=2&reprocess=none', { cookie: admin });
    expect(swapped.status).toBe(400);
    expect(swapped.text).toMatch(/id="f-from-error" class="error" role="alert">⚠ from 2024-01-05T00:00:00\+00:00 is after to 2024-01-01T00:00:00\+00:00: swap them/);
    const zero = await page(f.web, '/actions/backfill?dag_id=typed&review=1&from=2024-01-01T00:00&to=2024-01-02T00:00&max_active_runs=0&reprocess=none', { cookie: admin });
    expect(zero.text).toContain('id="f-max_active_runs-error" class="error" role="alert">⚠ must be at least 1');
    const failed = failedRun('2024-01-02T00:00:00Z');
    const q = (reprocess: string) => `/actions/backfill?dag_id=typed&review=1&from=2024-01-01T00:00&to=2024-01-03T00:00&max_active_runs=2&reprocess=${reprocess}`;
    const none = await page(f.web, q('none'), { cookie: admin });
    expect(none.status).toBe(200);
    expect(none.text).toContain('<ul id="dry-run"><li>2024-01-01T00:00:00+00:00: a new run</li><li>2024-01-03T00:00:00+00:00: a new run</li></ul>');
    expect(none.text).toContain('2 runs, at most 2 at a time');
    const rerun = await page(f.web, q('failed'), { cookie: admin });
    expect(rerun.text).toContain(`<li>2024-01-02T00:00:00+00:00: run ${failed} (failed) again: its failed tasks</li>`);
    expect(f.web.store.backfills.active('typed')).toBeUndefined();
    const done = await page(f.web, '/actions/backfill', { cookie: admin, form: { csrf, dag_id: 'typed', from: '2024-01-01T00:00', to: '2024-01-03T00:00', max_active_runs: '2', reprocess: 'failed', conf: '{"k": 1}' } });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toMatch(/^\/dags\/typed\/runs\?type=backfill&notice=Backfill\+\d+\+of\+typed\+started%3A\+3\+runs\+queued\./);
    const b = f.web.store.backfills.active('typed')!;
    expect(b).toMatchObject({ max_active_runs: 2, reprocess_behavior: 'failed' });
    const runs = f.web.store.runs.list({ dagId: 'typed' }).filter((r) => r.backfill_id === b.id);
    expect(runs.map((r) => [r.logical_date, r.state]).sort()).toEqual([
      ['2024-01-01T00:00:00.000Z', 'queued'],
      ['2024-01-02T00:00:00.000Z', 'queued'],
      ['2024-01-03T00:00:00.000Z', 'queued'],
    ]);
    expect(ti('typed', failed, 'a')).toBe('success'); // only the failed tasks run again
    expect(ti('typed', failed, 'b')).toBeNull();
    const tab = await page(f.web, '/dags/typed/runs?type=backfill', { cookie: admin });
    expect(tab.text).toContain('backfill__2024-01-01T00:00:00+00:00');
    const second = await page(f.web, q('none').replace('2024-01-03', '2024-01-04'), { cookie: admin });
    expect(second.status).toBe(409);
    expect(second.text).toContain(`Backfill ${b.id} of typed is still running: there can be only one running backfill per DAG`);
  });

  it('the Runs tab lists the backfill; pause, unpause and cancel each confirm first, need the CSRF token and a user, and show their effect', async () => {
    const b = f.web.store.backfills.active('typed')!;
    const row = (html: string) => new RegExp(`<tr data-backfill="${b.id}" data-status="([a-z]+)">([\\s\\S]*?)</tr>`).exec(html);
    const tab = await page(f.web, '/dags/typed/runs', { cookie: admin });
    expect(row(tab.text)?.[1]).toBe('running');
    expect(row(tab.text)?.[2]).toContain('3 queued');
    expect(row(tab.text)?.[2]).toContain('name="to" value="pause"');
    expect(row(tab.text)?.[2]).toContain('name="to" value="cancel"');
    // a viewer sees the backfill, no buttons, and is refused if it posts anyway
    const seen = await page(f.web, '/dags/typed/runs', { cookie: viewer });
    expect(row(seen.text)?.[1]).toBe('running');
    expect(seen.text).not.toContain('action="/actions/backfill-state"');
    const viewerCsrf = csrfOf((await page(f.web, '/', { cookie: viewer })).text);
    expect((await page(f.web, '/actions/backfill-state', { cookie: viewer, form: { csrf: viewerCsrf, backfill_id: String(b.id), to: 'pause' } })).status).toBe(403);
    expect((await page(f.web, `/actions/backfill-state?backfill_id=${b.id}&to=pause`, { cookie: viewer })).status).toBe(403);
    // the confirmation says what it does, and changes nothing
    const confirm = await page(f.web, `/actions/backfill-state?backfill_id=${b.id}&to=pause`, { cookie: admin });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(`Pause backfill ${b.id} of typed`);
    expect(confirm.text).toContain('3 runs queued.');
    expect(f.web.store.backfills.get(b.id)!.is_paused).toBe(0);
    // without the token, or from another site: refused, nothing changes
    expect((await page(f.web, '/actions/backfill-state', { cookie: admin, form: { backfill_id: String(b.id), to: 'pause' } })).status).toBe(403);
    expect((await page(f.web, '/actions/backfill-state', { cookie: admin, origin: 'https://evil.example', form: { csrf, backfill_id: String(b.id), to: 'pause' } })).status).toBe(403);
    expect(f.web.store.backfills.get(b.id)!.is_paused).toBe(0);
    const paused = await page(f.web, '/actions/backfill-state', { cookie: admin, form: { csrf: csrfOf(confirm.text), backfill_id: String(b.id), to: 'pause', back: '/dags/typed/runs' } });
    expect(paused.status).toBe(303);
    expect(paused.headers.get('location')).toBe(`/dags/typed/runs?notice=Backfill+${b.id}+of+typed+paused.`);
    expect(f.web.store.backfills.get(b.id)!.is_paused).toBe(1);
    const after = row((await page(f.web, '/dags/typed/runs', { cookie: admin })).text);
    expect(after?.[1]).toBe('paused');
    expect(after?.[2]).toContain('name="to" value="unpause"');
    await page(f.web, '/actions/backfill-state', { cookie: admin, form: { csrf, backfill_id: String(b.id), to: 'unpause' } });
    expect(f.web.store.backfills.get(b.id)!.is_paused).toBe(0);
    // cancel: the queued runs fail, the backfill completes, and it offers nothing more
    const cancel = await page(f.web, `/actions/backfill-state?backfill_id=${b.id}&to=cancel`, { cookie: admin });
    expect(cancel.text).toContain('3 queued runs will be marked failed.');
    await page(f.web, '/actions/backfill-state', { cookie: admin, form: { csrf, backfill_id: String(b.id), to: 'cancel' } });
    expect(f.web.store.backfills.get(b.id)!.completed_at).not.toBeNull();
    expect(f.web.store.runs.list({ dagId: 'typed' }).filter((r) => r.backfill_id === b.id).map((r) => r.state)).toEqual(['failed', 'failed', 'failed']);
    const done = row((await page(f.web, '/dags/typed/runs', { cookie: admin })).text);
    expect(done?.[1]).toBe('completed');
    expect(done?.[2]).toContain('3 failed');
    expect(done?.[2]).not.toContain('action="/actions/backfill-state"');
    const again = await page(f.web, `/actions/backfill-state?backfill_id=${b.id}&to=pause`, { cookie: admin });
    expect(again.status).toBe(409);
    expect(again.text).toContain(`Backfill ${b.id} of typed is already completed`);
    expect((await page(f.web, '/actions/backfill-state?backfill_id=999999&to=pause', { cookie: admin })).status).toBe(404);
  });
});

describe('refusals', () => {
  const posts = (run: string): [string, Record<string, string>][] => [
    ['trigger', { dag_id: 'typed', run_id: 'forged_trigger' }],
    ['clear', { dag_id: 'typed', run_id: run }],
    ['mark', { dag_id: 'typed', run_id: run, state: 'success' }],
    ['delete-run', { dag_id: 'typed', run_id: run }],
    ['backfill', { dag_id: 'typed', from: '2025-01-01T00:00', to: '2025-01-02T00:00', max_active_runs: '1', reprocess: 'none' }],
  ];

  it('a viewer gets 403 on every action, GET or POST, and sees no action button', async () => {
    const run = failedRun('2024-02-10T00:00:00Z');
    const viewerCsrf = csrfOf((await page(f.web, '/', { cookie: viewer })).text);
    const before = JSON.stringify(f.web.store.tis.forRun('typed', run));
    const runs = f.web.store.runs.list({ dagId: 'typed' }).length;
    for (const [name, form] of posts(run)) {
      expect((await page(f.web, `/actions/${name}`, { cookie: viewer, form: { csrf: viewerCsrf, ...form } })).status, name).toBe(403);
      expect((await page(f.web, `/actions/${name}?${new URLSearchParams(form)}`, { cookie: viewer })).status, name).toBe(403);
    }
    expect(JSON.stringify(f.web.store.tis.forRun('typed', run))).toBe(before);
    expect(f.web.store.runs.list({ dagId: 'typed' }).length).toBe(runs);
    for (const path of ['/', '/dags/typed', `/dags/typed?run=${enc(run)}`, `/dags/typed?run=${enc(run)}&task=b`]) {
      expect((await page(f.web, path, { cookie: viewer })).text, path).not.toContain('/actions/');
    }
  });

  it('a post without the CSRF token, with a forged one, or from another origin is refused, and nothing changes', async () => {
    const run = failedRun('2024-02-11T00:00:00Z');
    const before = JSON.stringify(f.web.store.tis.forRun('typed', run));
    const runs = f.web.store.runs.list({ dagId: 'typed' }).length;
    const forged = csrf.slice(0, -2) + (csrf.endsWith('AA') ? 'BB' : 'AA');
    for (const [name, form] of posts(run)) {
      expect((await page(f.web, `/actions/${name}`, { cookie: admin, form })).status, `${name} without a token`).toBe(403);
      expect((await page(f.web, `/actions/${name}`, { cookie: admin, form: { csrf: forged, ...form } })).status, `${name} forged`).toBe(403);
      expect((await page(f.web, `/actions/${name}`, { cookie: admin, origin: 'https://evil.example', form: { csrf, ...form } })).status, `${name} cross-site`).toBe(403);
    }
    const stale = await page(f.web, '/actions/mark', { cookie: admin, form: { csrf: forged, dag_id: 'typed', run_id: run, state: 'success' } });
    expect(unescape(stale.text)).toContain("The form's CSRF token is missing or stale");
    expect(JSON.stringify(f.web.store.tis.forRun('typed', run))).toBe(before);
    expect(f.web.store.runs.list({ dagId: 'typed' }).length).toBe(runs);
    expect(f.web.store.runs.get('typed', 'forged_trigger')).toBeUndefined();
  });

  it('an unknown DAG, run or task is 404 with a message', async () => {
    expect((await page(f.web, '/actions/trigger?dag_id=nope', { cookie: admin })).status).toBe(404);
    const noRun = await page(f.web, '/actions/mark?dag_id=typed&run_id=nope&state=failed', { cookie: admin });
    expect(noRun.status).toBe(404);
    expect(noRun.text).toContain('No run nope of DAG typed');
    const run = failedRun('2024-02-12T00:00:00Z');
    expect((await page(f.web, `/actions/mark?dag_id=typed&run_id=${enc(run)}&task_id=zz&state=failed`, { cookie: admin })).status).toBe(404);
    expect((await page(f.web, '/actions/backfill?dag_id=broken', { cookie: admin })).status).toBe(404);
  });
});
