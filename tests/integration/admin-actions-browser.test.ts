// The admin UI's actions in a real Chromium, with the scheduler running in this process (its own connection to the
// state database, as `dag scheduler` would have): trigger the example DAG with conf from the form and watch the new
// run appear and finish in an open grid; clear a failed task and watch it run again; mark a running run failed; all
// without a reload of the watching page. Then every action page at 1280 and 390 px, script on and off (screenshots/).
// One browser and one server for the file.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openPage, release, screenshot, sharedBrowser, TAKING_SCREENSHOTS } from '../support/browser.js';
import { uiFixture, type UiFixture } from '../support/ui.js';
import { signIn } from '../support/ui-session.js';
import { until } from '../support/cli.js';
import { ROOT } from '../support/paths.js';
import { Store } from '../../engine/state/store.js';
import { engineSettings } from '../../engine/settings.js';
import { attemptLogPath } from '../../engine/run/task-log.js';
import { triggerDagRun } from '../../engine/service/trigger.js';
import { loadAll } from '../../cli/context.js';
import { startSchedulerDaemon, type SchedulerDaemon } from '../../cli/scheduler-daemon.js';

let f: UiFixture;
let browser: Browser;
let scheduler: SchedulerDaemon;
let schedulerStore: Store;
let cookie: string;
let flagFile: string;

function files(dir: string): Record<string, string> {
  return {
    'example_bash.yaml': fs.readFileSync(path.join(ROOT, 'dags/example_bash.yaml'), 'utf8'),
    // Fails on its first try, succeeds once cleared (retries 0, so the first failure is final).
    'flaky.yaml': `flaky:
  schedule: null
  default_args: {start_date: 2024-01-01, retries: 0}
  tasks:
    - {task_id: flaky, operator: bash, bash_command: 'test -f ${dir}/ok || { touch ${dir}/ok; exit 1; }'}
    - {task_id: after, operator: empty, dependencies: [flaky]}
`,
    'slow.yaml': `slow:
  schedule: null
  default_args: {start_date: 2024-01-01, retries: 0}
  tasks:
    - {task_id: sleep, operator: bash, bash_command: 'sleep 60'}
    - {task_id: after, operator: empty, dependencies: [sleep]}
`,
  };
}

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'windsock-actions-'));
  flagFile = path.join(dir, 'ok');
  [f, browser] = await Promise.all([uiFixture(files(dir)), sharedBrowser()]);
  await f.web.userToken('admin');
  cookie = (await signIn(f.web, 'admin', 'admin-password')).split('=')[1];
  // The scheduler, as `dag scheduler` starts it, on its own connection: the run loop sees the web's writes as another
  // process's (PRAGMA data_version moves), and the web's change feed sees the scheduler's.
  schedulerStore = Store.open(f.ws.home);
  const l = await loadAll({ settings: engineSettings(f.ws.env), store: schedulerStore });
  scheduler = await startSchedulerDaemon(l, { tickMs: 100, say: () => undefined });
}, 60_000);
afterAll(async () => {
  await scheduler?.stop();
  schedulerStore?.close();
  await f?.close();
});

async function opened(o: { javaScriptEnabled?: boolean; width?: number } = {}): Promise<{ ctx: BrowserContext; page: Page }> {
  const { ctx, page } = await openPage(browser, o);
  await ctx.addCookies([{ name: '_token', value: cookie, url: f.web.url, httpOnly: true, sameSite: 'Lax' }]);
  return { ctx, page };
}

/**
 * A page on `url` following the change events, marked so a reload would show (the mark would be gone). In a context
 * of its own: a second tab of the acting page's context would leave that page in the background, where Chromium runs
 * no animation frames and each click waited ~2 s for Playwright's "stable" check. Give it back with release().
 */
async function watcher(url: string): Promise<Page> {
  const { page } = await opened();
  await page.goto(f.web.url + url);
  await page.waitForFunction(() => document.documentElement.dataset.live === 'connected');
  await page.evaluate(() => ((window as unknown as { __same: boolean }).__same = true));
  return page;
}
const sameDocument = (page: Page) => page.evaluate(() => (window as unknown as { __same?: boolean }).__same === true);

/** Whether the grid cell of (run, task) is in `state` ('' = exists; 'a|b' = either), found as the script finds it. */
function cellIs([run, task, state]: [string, string, string]): boolean {
  const cols = [...document.querySelectorAll<HTMLElement>('#grid th.bar')].map((th) => th.dataset.run);
  const tr = [...document.querySelectorAll<HTMLTableRowElement>('#grid tr[data-task]')].find((r) => r.dataset.task === task);
  const cell = tr?.cells[cols.indexOf(run) + 1]?.querySelector<HTMLElement>('a');
  return !!cell && (state === '' || state.split('|').some((s) => cell.classList.contains(`st-${s}`)));
}
function runIs([run, state]: [string, string]): boolean {
  const bar = [...document.querySelectorAll<HTMLElement>('#grid th.bar')].find((th) => th.dataset.run === run);
  return !!bar?.querySelector('a')?.classList.contains(`st-${state}`);
}
const cell = (page: Page, run: string, task: string, state: string) => page.waitForFunction(cellIs, [run, task, state] as [string, string, string], { timeout: 60_000 });
const runState = (page: Page, run: string, state: string) => page.waitForFunction(runIs, [run, state] as [string, string], { timeout: 60_000 });
const tiState = (dagId: string, runId: string, taskId: string) => f.web.store.tis.get({ dagId, runId, taskId })?.state;

describe('admin actions in Chromium, with the scheduler', () => {
  it('triggers the example DAG with conf from the form; an open grid shows the new run appear and its tasks run without a reload', async () => {
    const { ctx, page } = await opened();
    const grid = await watcher('/dags/example_bash');
    await page.goto(`${f.web.url}/dags/example_bash`);
    await page.click('[data-actions-of="example_bash"] button:has-text("Trigger")');
    await page.locator('#f-param\\.greeting').waitFor();
    expect(await page.inputValue('#f-param\\.greeting')).toBe('hello'); // the param's default
    await page.fill('#f-run_id', 'from_the_browser');
    await page.fill('#f-param\\.greeting', 'bonjour');
    // The script checks the conf before the form goes: bad JSON stays on the form, with the message beside it.
    await page.fill('#f-conf', '{"source": }');
    await page.click('button:has-text("Review")');
    await expect(page.locator('#f-conf-error').textContent()).resolves.toMatch(/^⚠ not valid JSON: .+; write an object such as \{"key": "value"\}$/);
    expect(page.url()).not.toContain('review=1');
    await page.fill('#f-conf', '{"source": "browser"}');
    await expect(page.locator('#f-conf-error').isHidden()).resolves.toBe(true);
    await Promise.all([page.waitForURL(/review=1/), page.click('button:has-text("Review")')]);
    await expect(page.locator('#dry-run').textContent()).resolves.toContain('Conf: {"greeting":"bonjour","source":"browser"}');
    expect(f.web.store.runs.get('example_bash', 'from_the_browser')).toBeUndefined();
    await Promise.all([page.waitForURL(/notice=/), page.click('button.primary:has-text("Trigger")')]);
    expect(new URL(page.url()).pathname).toBe('/dags/example_bash'); // back where the user was
    await expect(page.locator('.notice').textContent()).resolves.toContain('Run from_the_browser of example_bash is queued.');
    await cell(grid, 'from_the_browser', 'greet', '');
    await cell(grid, 'from_the_browser', 'greet', 'success');
    await cell(grid, 'from_the_browser', 'maybe_skip', 'running|success|skipped');
    expect(await sameDocument(grid)).toBe(true);
    // The conf reached the task: params.greeting was rendered from it.
    const log = fs.readFileSync(attemptLogPath(f.ws.home, 'example_bash', 'from_the_browser', 'greet', 1), 'utf8');
    expect(log).toContain('bonjour from example_bash');
    await Promise.all([release(ctx), release(grid.context())]);
  }, 120_000);

  it('clears a failed task from its panel and an open grid watches it run again, to success', async () => {
    const run = triggerDagRun(f.web.store, f.specs.get('flaky')!, { triggeredBy: 'test', runId: 'flaky_run' }).run_id;
    await until(() => tiState('flaky', run, 'flaky') === 'failed' && f.web.store.runs.get('flaky', run)?.state === 'failed', 60_000, 'the first try to fail');
    expect(fs.existsSync(flagFile)).toBe(true);
    const { ctx, page } = await opened();
    const grid = await watcher('/dags/flaky');
    await cell(grid, run, 'flaky', 'failed');
    await page.goto(`${f.web.url}/dags/flaky?run=${run}&task=flaky`);
    await screenshot(page, 'action-buttons-task-panel-1280');
    await page.click('[data-ti-panel] button:has-text("Clear")');
    await expect(page.locator('#dry-run').textContent()).resolves.toBe('flaky (failed)after (upstream_failed)');
    await Promise.all([page.waitForURL(/notice=/), page.click('button.danger')]);
    expect(page.url()).toContain(`/dags/flaky?run=${run}&task=flaky&notice=2+task+instances+cleared.`);
    await cell(grid, run, 'flaky', 'success');
    await cell(grid, run, 'after', 'success');
    await runState(grid, run, 'success');
    await page.waitForFunction(() => document.getElementById('panel-state')?.dataset.state === 'success');
    expect(await sameDocument(grid)).toBe(true);
    await Promise.all([release(ctx), release(grid.context())]);
  }, 120_000);

  it('marks a running run failed from its panel; the open grid shows it stop, failed, without a reload', async () => {
    const run = triggerDagRun(f.web.store, f.specs.get('slow')!, { triggeredBy: 'test', runId: 'slow_run' }).run_id;
    await until(() => tiState('slow', run, 'sleep') === 'running', 60_000, 'the sleep task to run');
    const { ctx, page } = await opened();
    const grid = await watcher('/dags/slow');
    await cell(grid, run, 'sleep', 'running');
    await page.goto(`${f.web.url}/dags/slow?run=${run}`);
    await screenshot(page, 'action-buttons-run-panel-1280');
    await page.click('#panel button:has-text("Mark failed")');
    await expect(page.locator('#dry-run').textContent()).resolves.toBe('sleep: running → failedafter: none → skipped');
    await Promise.all([page.waitForURL(/notice=/), page.click('button.danger:has-text("Mark failed")')]);
    await cell(grid, run, 'sleep', 'failed');
    await cell(grid, run, 'after', 'skipped');
    await runState(grid, run, 'failed');
    expect(await sameDocument(grid)).toBe(true);
    expect(tiState('slow', run, 'sleep')).toBe('failed');
    expect(f.web.store.runs.get('slow', run)!.state).toBe('failed');
    await Promise.all([release(ctx), release(grid.context())]);
  }, 120_000);

  it('every action page renders at 1280 and 390 px, script on and off, and changes nothing', async () => {
    const run = 'flaky_run';
    const pages: [string, string][] = [
      ['trigger-form', '/actions/trigger?dag_id=example_bash'],
      ['trigger-confirm', `/actions/trigger?dag_id=example_bash&review=1&run_id=shot&param.greeting=salut&conf=${encodeURIComponent('{"a": 1}')}`],
      ['trigger-bad-conf', `/actions/trigger?dag_id=example_bash&review=1&conf=${encodeURIComponent('{"a": 1,}')}`],
      ['clear-confirm', `/actions/clear?dag_id=flaky&run_id=${run}&task_id=flaky&downstream=true`],
      ['mark-task-confirm', `/actions/mark?dag_id=flaky&run_id=${run}&task_id=flaky&state=failed&downstream=true`],
      ['mark-run-confirm', `/actions/mark?dag_id=slow&run_id=slow_run&state=success`],
      ['delete-run-confirm', `/actions/delete-run?dag_id=flaky&run_id=${run}`],
      ['backfill-form', '/actions/backfill?dag_id=example_bash'],
      ['backfill-confirm', '/actions/backfill?dag_id=example_bash&review=1&from=2024-01-01T00:00&to=2024-01-10T00:00&max_active_runs=2&reprocess=failed'],
    ];
    // 1280 px with script; with WINDSOCK_UI_SCREENSHOTS also 390 px without (=all: all four, as the pages' test). The
    // server sees the same request whatever the browser's width and script setting, so without pictures to take the
    // other passes would only load the same answers again (~0.25 s of the browser's CPU a page).
    const all = process.env.WINDSOCK_UI_SCREENSHOTS === 'all';
    for (const js of [true, false]) {
      for (const width of [1280, 390]) {
        if (!all && js !== (width === 1280)) continue;
        if (!TAKING_SCREENSHOTS && !(js && width === 1280)) continue;
        const { ctx, page } = await opened({ javaScriptEnabled: js, width });
        for (const [name, url] of pages) {
          const res = await page.goto(f.web.url + url);
          expect(res?.status(), name).toBe(name === 'trigger-bad-conf' ? 422 : 200);
          await screenshot(page, `action-${name}-${width}${js ? '' : '-nojs'}`);
        }
        await release(ctx);
      }
    }
    expect(f.web.store.runs.get('example_bash', 'shot')).toBeUndefined(); // pages show, they change nothing
  }, 120_000);
});
