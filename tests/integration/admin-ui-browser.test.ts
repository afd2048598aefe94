// The admin pages in a real Chromium (Debian's, through playwright-core), one browser and one server for the file:
// sign in, the broken file's banner, the grid following a run without a reload, the log tail, the pause switch
// with its confirmation, a viewer's view and forged post, a cross-site form, logout and Back, XSS payloads that
// must never run, and screenshots of every page at 1280 and 390 px with script on and off (saved in screenshots/).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openPage, release, screenshot, sharedBrowser, TAKING_SCREENSHOTS } from '../support/browser.js';
import { uiFixture, type UiFixture } from '../support/ui.js';
import { UI_FILES } from '../support/ui-files.js';
import { signIn } from '../support/ui-session.js';
import { attemptLogPath } from '../../engine/run/task-log.js';
import { setDagPaused } from '../../engine/service/pause.js';
import { cancelBackfill, createBackfill } from '../../engine/service/backfill.js';
import { setVariable } from '../../engine/service/variables.js';

let f: UiFixture;
let browser: Browser;
let runId: string;
/** Session cookies signed in once over HTTP (scrypt is slow on purpose): contexts reuse them. */
const cookies: Record<string, string> = {};

beforeAll(async () => {
  [f, browser] = await Promise.all([uiFixture(UI_FILES), sharedBrowser()]);
  await f.web.userToken('admin');
  await f.web.userToken('viewer');
  for (const user of ['admin', 'viewer']) cookies[user] = (await signIn(f.web, user, `${user}-password`)).split('=')[1];
  runId = f.run('etl', '2024-01-02T00:00:00Z', { who: '<img src=x onerror="window.__xss=1">' }).run_id;
  for (const s of ['queued', 'running', 'success'] as const) f.ti('etl', runId, 'extract', s);
  f.ti('etl', runId, 'load.to_lake', 'queued');
  f.ti('etl', runId, 'load.to_lake', 'running');
  f.ti('etl', runId, 'load.to_lake', 'failed');
  f.web.store.xcom.push('etl', runId, 'extract', 'return_value', '<script>window.__xss=1</script>');
  writeLog(runId, 'extract', 1, '[t] {INFO} <img src=x onerror="window.__xss=1">\n[t] {INFO} finished\n');
  setVariable(f.web.store, { key: 'greeting', value: '<img src=x onerror="window.__xss=1">', description: '"><svg onload=window.__xss=1>' });
  setVariable(f.web.store, { key: 'api_token', value: 'not-for-eyes' });
}, 60_000);
afterAll(async () => {
  await f?.close();
});

function writeLog(run: string, task: string, tryNumber: number, text: string, append = false): void {
  const file = attemptLogPath(f.ws.home, 'etl', run, task, tryNumber);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  (append ? fs.appendFileSync : fs.writeFileSync)(file, text);
}

interface Opened {
  ctx: BrowserContext;
  page: Page;
  /** Messages of any dialog a payload opened (each is dismissed). */
  dialogs: string[];
}

/**
 * A context with its own cookie jar and a page on `path` (default /; null: none yet), signed in as `user` (through the
 * login form when `viaForm`, which lands on /). Straight to the test's page: a detour through / cost a page load each.
 */
async function signedIn(user: string, o: { javaScriptEnabled?: boolean; width?: number; viaForm?: boolean; path?: string | null } = {}): Promise<Opened> {
  const { ctx, page } = await openPage(browser, { javaScriptEnabled: o.javaScriptEnabled, width: o.width });
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  if (o.viaForm) {
    await page.goto(`${f.web.url}/login`);
    await page.fill('input[name=username]', user);
    await page.fill('input[name=password]', `${user}-password`);
    await Promise.all([page.waitForURL(`${f.web.url}/`), page.click('button[type=submit]')]);
  } else {
    await ctx.addCookies([{ name: '_token', value: cookies[user], url: f.web.url, httpOnly: true, sameSite: 'Lax' }]);
    const to = o.path === undefined ? '/' : o.path;
    if (to !== null) await page.goto(f.web.url + to);
  }
  return { ctx, page, dialogs };
}

/** Whether the grid cell of (run, task), found as the script finds it (the column by its header, the row by its task), has class `cls` ('' = exists). */
function cellHas([run, task, cls]: [string, string, string]): boolean {
  const cols = [...document.querySelectorAll<HTMLElement>('#grid th.bar')].map((th) => th.dataset.run);
  const tr = [...document.querySelectorAll<HTMLTableRowElement>('#grid tr[data-task]')].find((r) => r.dataset.task === task);
  const cell = tr?.cells[cols.indexOf(run) + 1]?.querySelector('a');
  return !!cell && (cls === '' || cell.classList.contains(cls));
}

const xssRan = (page: Page) => page.evaluate(() => (window as unknown as { __xss?: number }).__xss === 1);
const enc = encodeURIComponent;

describe('admin UI in Chromium', () => {
  it('signs in through the form and shows the DAG list with the broken file banner', async () => {
    const { ctx, page } = await signedIn('admin', { viaForm: true });
    await expect(page.locator('.banner').first().textContent()).resolves.toContain('broken.yaml:3:3');
    await expect(page.locator('#dag-table tbody tr').count()).resolves.toBe(2);
    const cookies = await ctx.cookies();
    expect(cookies.find((c) => c.name === '_token')).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    await release(ctx);
  });

  it('the grid follows a new run from queued to running to success without a reload', async () => {
    const { ctx, page } = await signedIn('admin', { path: `/dags/etl` });
    await page.waitForFunction(() => document.documentElement.dataset.live === 'connected');
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    const run = f.run('etl', '2024-01-03T00:00:00Z').run_id;
    await page.waitForFunction(cellHas, [run, 'extract', ''] as [string, string, string]);
    for (const s of ['queued', 'running', 'success'] as const) {
      f.ti('etl', run, 'extract', s);
      await page.waitForFunction(cellHas, [run, 'extract', `st-${s}`] as [string, string, string]);
    }
    f.runState('etl', run, 'running');
    await page.waitForFunction((r) => [...document.querySelectorAll<HTMLElement>('#grid th.bar')].find((th) => th.dataset.run === r)?.dataset.state === 'running', run);
    const cell = page.locator('#grid tr[data-task="extract"] td:last-child > a');
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    // arrow keys move between cells; Enter-less click opens the panel in place
    await cell.focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => (document.activeElement?.closest('tr') as HTMLElement | null)?.dataset.groupRow)).toBe('load');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowLeft');
    expect(await page.evaluate(() => (document.activeElement?.closest('tr') as HTMLElement | null)?.dataset.task)).toBe('load.to_lake');
    await cell.click();
    await page.locator('[data-ti-panel] h2').filter({ hasText: 'extract' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await release(ctx);
  });

  it('a stale grid fragment that arrives after a newer one does not overwrite it', async () => {
    const { ctx, page } = await signedIn('admin', { path: `/dags/etl` });
    await page.waitForFunction(() => document.documentElement.dataset.live === 'connected');
    type Refresh = { seq: number; applied: boolean };
    await page.evaluate(() => {
      const w = window as unknown as { __refreshes: Refresh[] };
      w.__refreshes = [];
      document.addEventListener('windsock:refresh', (e) => w.__refreshes.push((e as CustomEvent<Refresh>).detail));
    });
    // The first refresh's answer is read at once (the grid with the first new run only) but held back until the
    // second refresh, asked after a second new run, has been answered and shown.
    let deliver!: () => void;
    const held = new Promise<void>((r) => (deliver = r));
    let seen!: () => void;
    const firstAsked = new Promise<void>((r) => (seen = r));
    let asked = 0;
    let staleDelivered: Promise<unknown> = Promise.resolve();
    await page.route('**/fragment/grid*', async (route) => {
      if (asked++ > 0) return route.continue();
      const stale = await (await route.fetch()).text();
      seen();
      await held;
      // aborted by the newer refresh (the fix): there is nothing left to deliver it to
      staleDelivered = route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: stale }).catch(() => undefined);
    });
    const first = f.run('etl', '2024-02-01T00:00:00Z').run_id;
    await firstAsked;
    const second = f.run('etl', '2024-02-02T00:00:00Z').run_id;
    await page.waitForFunction(cellHas, [second, 'extract', ''] as [string, string, string]);
    deliver();
    await page.waitForFunction(() => (window as unknown as { __refreshes: Refresh[] }).__refreshes.length >= 2);
    await staleDelivered;
    const refreshes = (await page.evaluate(() => (window as unknown as { __refreshes: Refresh[] }).__refreshes)).sort((a, b) => a.seq - b.seq);
    expect(refreshes[0].applied).toBe(false);
    expect(refreshes[refreshes.length - 1].applied).toBe(true);
    // the newer grid stays: both new runs are columns
    expect(await page.evaluate(cellHas, [second, 'extract', ''] as [string, string, string])).toBe(true);
    expect(await page.evaluate(cellHas, [first, 'extract', ''] as [string, string, string])).toBe(true);
    await release(ctx);
  });

  it('the log page shows new lines as the attempt writes them', async () => {
    const run = f.run('etl', '2024-01-04T00:00:00Z').run_id;
    f.ti('etl', run, 'extract', 'queued');
    f.ti('etl', run, 'extract', 'running');
    writeLog(run, 'extract', 1, '[t] {INFO} first line\n');
    const { ctx, page } = await signedIn('admin', { path: `/dags/etl/runs/${enc(run)}/tasks/extract?try=1` });
    await page.locator('#log', { hasText: 'first line' }).waitFor();
    writeLog(run, 'extract', 1, '[t] {INFO} second line\n', true);
    await page.locator('#log', { hasText: 'second line' }).waitFor();
    f.ti('etl', run, 'extract', 'success');
    await page.waitForFunction(() => document.getElementById('log')?.dataset.state === 'success');
    await release(ctx);
  });

  it('a long log opens on its last lines; scrolling fetches the lines above and below; older lines are also a link away', async () => {
    const run = f.run('etl', '2024-01-06T00:00:00Z').run_id;
    f.ti('etl', run, 'extract', 'queued');
    f.ti('etl', run, 'extract', 'running');
    f.ti('etl', run, 'extract', 'success');
    const lines = Array.from({ length: 10_000 }, (_, i) => `[t] {INFO} line ${String(i).padStart(6, '0')} ${'x'.repeat(40)}\n`);
    writeLog(run, 'extract', 1, lines.join(''));
    const { ctx, page } = await signedIn('admin', { path: `/dags/etl/runs/${enc(run)}/tasks/extract?try=1` });
    const text = await page.locator('#log').textContent();
    expect(text).toContain('line 009999');
    expect(text).not.toContain('line 000000 ');
    // scrolling up past the loaded lines fetches the ones before them, until the first line of the file
    const scrollLog = (to: 'top' | 'bottom') => page.locator('#log').evaluate((el, t) => (el.scrollTop = t === 'top' ? 0 : el.scrollHeight), to);
    const firstLine = () => page.locator('#log').evaluate((el) => el.textContent!.split('\n')[0]);
    const shownAt = await page.locator('#log').evaluate((el) => Number(el.dataset.from));
    expect(shownAt).toBeGreaterThan(0);
    await scrollLog('top');
    await page.waitForFunction((at) => Number(document.getElementById('log')!.dataset.from) < at, shownAt);
    expect(await firstLine()).toMatch(/^\[t\] \{INFO\} line \d{6} x+$/); // a whole line
    await scrollLog('top');
    await page.locator('#log', { hasText: 'line 000000 ' }).waitFor();
    const all = (await page.locator('#log').textContent())!.split('\n').filter(Boolean);
    expect(all).toEqual(lines.map((l) => l.slice(0, -1))); // every line once, in order: nothing lost or doubled at the seams
    // without script the older lines are a link away; from there, scrolling down fetches the newer ones
    await page.click('text=« older lines');
    const older = await page.locator('#log').textContent();
    expect(older).not.toContain('line 009999');
    expect(older!.split('\n')[0]).toMatch(/^\[t\] \{INFO\} line \d{6} x+$/); // starts on a whole line
    await scrollLog('bottom');
    await page.locator('#log', { hasText: 'line 009999' }).waitFor();
    await page.locator('#wrap').check();
    expect(await page.locator('#log').evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('pre-wrap');
    await release(ctx);
  });

  it('the graph colours its tasks by the selected run and follows them live', async () => {
    const run = f.run('etl', '2024-01-05T00:00:00Z').run_id;
    const { ctx, page } = await signedIn('admin', { path: `/dags/etl/graph?run=${enc(run)}` });
    await page.locator('#graph svg').waitFor();
    await page.waitForFunction(() => document.documentElement.dataset.live === 'connected');
    const node = (task: string, cls: string) => page.waitForFunction(([t, c]) => !!document.getElementById(`gn:${t}`)?.querySelector('rect')?.classList.contains(c), [task, cls]);
    await node('extract', 'st-none');
    f.ti('etl', run, 'extract', 'queued');
    f.ti('etl', run, 'extract', 'running');
    await node('extract', 'st-running');
    f.ti('etl', run, 'extract', 'success');
    f.ti('etl', run, 'load.to_lake', 'queued');
    await node('extract', 'st-success');
    await node('load.to_lake', 'st-queued');
    expect(await page.locator('[id="gn:extract"] tspan.sym').textContent()).toBe('✓ ');
    await release(ctx);
  });

  it('pauses a DAG through the confirmation page, and an open page flips its switch live', async () => {
    const { ctx, page } = await signedIn('admin');
    // in a context of its own, so that `page` stays in the foreground (a background tab gets no animation frames)
    const { ctx: otherCtx, page: other } = await signedIn('admin');
    await other.waitForFunction(() => document.documentElement.dataset.live === 'connected');
    await page.click('[data-paused-of="report"] button');
    await page.locator('#dry-run').waitFor();
    await screenshot(page, 'confirm-pause-1280');
    await Promise.all([page.waitForURL(/notice=/), page.click('button.primary')]);
    await expect(page.locator('.notice').textContent()).resolves.toContain('DAG report is paused');
    await other.waitForFunction(() => document.querySelector('[data-paused-of="report"]')?.getAttribute('data-paused') === 'true');
    setDagPaused(f.web.store, 'report', false, 'test');
    await other.waitForFunction(() => document.querySelector('[data-paused-of="report"]')?.getAttribute('data-paused') === 'false');
    await Promise.all([release(ctx), release(otherCtx)]);
  });

  it("pauses a backfill from the Runs tab through its confirmation; a cancel made elsewhere shows in the open tab live", async () => {
    const etl = f.specs.get('etl')!;
    const b = createBackfill(f.web.store, { dag: etl, from: new Date('2024-06-01T00:00:00Z'), to: new Date('2024-06-03T00:00:00Z'), labels: { from: 'from', to: 'to' }, conf: {}, reprocess: 'none', maxActiveRuns: 1 });
    const status = (p: Page) => p.locator(`tr[data-backfill="${b.id}"]`).getAttribute('data-status');
    const { ctx, page } = await signedIn('admin', { path: `/dags/etl/runs` });
    expect(await status(page)).toBe('running');
    await screenshot(page, 'backfills-1280');
    await page.click(`tr[data-backfill="${b.id}"] button:has-text("Pause")`);
    await expect(page.locator('main').textContent()).resolves.toContain(`Pause backfill ${b.id} of etl`);
    await Promise.all([page.waitForURL(/notice=/), page.click('button.primary')]);
    await expect(page.locator('.notice').textContent()).resolves.toContain(`Backfill ${b.id} of etl paused.`);
    expect(await status(page)).toBe('paused');
    await page.waitForFunction(() => document.documentElement.dataset.live === 'connected');
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    cancelBackfill(f.web.store, b.id, 'someone-else'); // as PUT /api/v2/backfills/{id}/cancel would: its queued runs fail
    await page.waitForFunction((id) => document.querySelector(`tr[data-backfill="${id}"]`)?.getAttribute('data-status') === 'completed', b.id);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    const queued = f.web.store.runs.list({ dagId: 'etl' }).filter((r) => r.backfill_id === b.id).length;
    await expect(page.locator(`tr[data-backfill="${b.id}"]`).textContent()).resolves.toContain(`${queued} failed`);
    await release(ctx);
  });

  it('a viewer sees no action buttons, and a forged post is refused with 403', async () => {
    const { ctx, page } = await signedIn('viewer', { path: `/dags/etl` });
    expect(await page.locator('form[action^="/actions/"]').count()).toBe(0);
    expect(await page.locator('[data-paused-of="etl"] button').count()).toBe(0);
    const status = await page.evaluate(async () => {
      const body = new URLSearchParams({ csrf: document.body.dataset.csrf!, dag_id: 'etl', paused: 'true' });
      return (await fetch('/actions/pause', { method: 'POST', body })).status;
    });
    expect(status).toBe(403);
    expect(f.web.store.dags.get('etl')!.is_paused).toBe(0);
    await release(ctx);
  });

  it('a cross-site form post changes nothing', async () => {
    const { ctx, page } = await signedIn('admin', { path: null });
    const evil = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<form method="post" action="${f.web.url}/actions/pause"><input name="dag_id" value="etl"><input name="paused" value="true"><button id="go">go</button></form>`);
    });
    await new Promise<void>((r) => evil.listen(0, 'localhost', r));
    try {
      await page.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
      const [res] = await Promise.all([page.waitForResponse((r) => r.url().startsWith(`${f.web.url}/actions/pause`)), page.click('#go')]);
      expect([401, 403]).toContain(res.status());
      expect(f.web.store.dags.get('etl')!.is_paused).toBe(0);
    } finally {
      evil.close();
      await release(ctx);
    }
  });

  it('after logout, Back shows the login form, nothing private', async () => {
    cookies.leaving = (await signIn(f.web, 'admin', 'admin-password')).split('=')[1];
    const { ctx, page } = await signedIn('leaving', { path: `/dags/etl` });
    await Promise.all([page.waitForURL(/\/login$/), page.click('header form[action="/logout"] button')]);
    await page.goBack();
    await page.waitForLoadState();
    expect(page.url()).toContain('/login');
    expect(await page.locator('#grid').count()).toBe(0);
    expect(await page.content()).not.toContain('load.to_lake');
    await release(ctx);
  });

  // Every page at 1280 px with script on (where a payload would run), and the main pages at 390 px; with
  // WINDSOCK_UI_SCREENSHOTS the pages are saved as pictures, script off too (=all: every page at both widths). Without
  // script no payload can run or open a dialog, so those passes are only taken for their pictures: each page load
  // costs the browser ~0.25 s of CPU, whatever the page.
  it('no XSS payload runs on any page; screenshots at 1280 and 390 px, script on and off', async () => {
    const pages: [string, string][] = [
      ['dags', '/'],
      ['grid', `/dags/etl?run=${enc(runId)}&task=extract`],
      ['graph', '/dags/etl/graph'],
      ['gantt', '/dags/etl/gantt'],
      ['runs', '/dags/etl/runs'],
      ['code', '/dags/etl/code'],
      ['details', '/dags/etl/details'],
      ['audit', '/dags/etl/audit'],
      ['log', `/dags/etl/runs/${enc(runId)}/tasks/extract?try=1`],
      ['broken-file', '/code?file=broken.yaml'],
      ['browse-runs', '/runs'],
      ['task-instances', '/task-instances?state=failed'],
      ['import-errors', '/import-errors'],
      ['pools', '/pools'],
      ['variables', '/variables'],
      ['config', '/config'],
      ['xcoms', '/xcoms'],
      ['users', '/users'],
    ];
    const all = process.env.WINDSOCK_UI_SCREENSHOTS === 'all';
    const main = new Set(['dags', 'grid', 'runs', 'log', 'variables']);
    for (const js of [true, false]) {
      if (!js && !TAKING_SCREENSHOTS) continue;
      for (const width of [1280, 390]) {
        const { ctx, page, dialogs } = await signedIn('admin', { javaScriptEnabled: js, width, path: null }); // the loop opens / first
        for (const [name, url] of pages) {
          if (!all && (width !== 1280 || !js) && !main.has(name)) continue;
          await page.goto(f.web.url + url);
          if (js && name === 'graph') await page.locator('#graph svg').waitFor();
          await screenshot(page, `${name}-${width}${js ? '' : '-nojs'}`);
          if (js) expect(await xssRan(page), name).toBe(false);
        }
        expect(dialogs).toEqual([]);
        await release(ctx);
      }
    }
    if (TAKING_SCREENSHOTS) {
      const login = await browser.newPage();
      await login.goto(`${f.web.url}/login`);
      await screenshot(login, 'login-1280');
      await login.close();
    }
  }, 120_000);
});
