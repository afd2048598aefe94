// Regions of an open page refreshed from the server, in a real Chromium (Debian's, through playwright-core): two
// regions asked together both refresh (a backfill and its runs on the Runs tab), an inner region's older answer does
// not undo the enclosing region's newer one, and the Gantt tab follows the tries of its run as they start and finish,
// and the latest run when none is chosen. Between changes, what still runs counts on with the clock: a running bar
// of the Gantt tab grows, a running run's duration on the Runs tab counts up and stops at its final duration.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { release, screenshot } from '../support/browser.js';
import { horizontalOverflow, liveSuite, sameDocument } from '../support/live-page.js';
import { createBackfill } from '../../engine/service/backfill.js';
import { runSince, trySince } from '../support/running-run.js';
import { duration, secondsBetween } from '../../ui/server/pages/format.js';

const live = liveSuite();
const { openLive } = live;

/** The titles of the Gantt bars shown (one per try: "task try N: state, duration"), without the duration. */
const bars = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll('#gantt rect title')].map((t) => t.textContent!.replace(/, [^,]*$/, '')).sort());
const barsAre = (page: Page, want: string[]) =>
  page.waitForFunction(
    (w) => JSON.stringify([...document.querySelectorAll('#gantt rect title')].map((t) => t.textContent!.replace(/, [^,]*$/, '')).sort()) === JSON.stringify(w),
    [...want].sort(),
  );

describe('regions of an open page refresh from the server', () => {
  it('a backfill started elsewhere shows in both regions of an open Runs tab: its row and its runs', async () => {
    const { ctx, page } = await openLive('/dags/etl/runs');
    expect(await page.locator('#backfills tr[data-backfill]').count()).toBe(0);
    // One transaction: the backfill's change and its runs' changes arrive together, asking for #backfills and
    // #dag-runs within the same debounce window (a single shared timer kept only the last of them).
    const b = createBackfill(live.f.web.store, { dag: live.f.specs.get('etl')!, from: new Date('2024-06-01T00:00:00Z'), to: new Date('2024-06-03T00:00:00Z'), labels: { from: 'from', to: 'to' }, conf: {}, reprocess: 'none', maxActiveRuns: 1 });
    const runs = live.f.web.store.runs.list({ dagId: 'etl', limit: 100 }).filter((r) => r.run_type === 'backfill').map((r) => r.run_id);
    expect(runs.length).toBeGreaterThan(0);
    await page.locator(`#backfills tr[data-backfill="${b.id}"]`).waitFor();
    for (const run of runs) await page.locator(`#dag-runs [id="rs:etl:${run}"]`).waitFor();
    // the filters (outside the refreshed list) are the ones the page came with
    expect(await sameDocument(page)).toBe(true);
    await release(ctx);
  });

  it('the Gantt tab shows tries as they start, finish and retry, without a reload', async () => {
    const run = live.f.run('etl', '2025-01-01T00:00:00Z').run_id;
    const { ctx, page } = await openLive(`/dags/etl/gantt?run=${encodeURIComponent(run)}`);
    await expect(page.locator('#gantt').textContent()).resolves.toContain('No attempts');
    live.f.ti('etl', run, 'extract', 'queued');
    live.f.ti('etl', run, 'extract', 'running');
    await barsAre(page, ['extract try 1: running']);
    live.f.ti('etl', run, 'extract', 'success');
    live.f.ti('etl', run, 'load.to_lake', 'queued');
    live.f.ti('etl', run, 'load.to_lake', 'running');
    await barsAre(page, ['extract try 1: success', 'load.to_lake try 1: running']);
    // a retry: the failed try stays, a second bar starts on the same row
    live.f.ti('etl', run, 'load.to_lake', 'up_for_retry');
    live.f.ti('etl', run, 'load.to_lake', 'queued');
    live.f.ti('etl', run, 'load.to_lake', 'running');
    await barsAre(page, ['extract try 1: success', 'load.to_lake try 1: up for retry', 'load.to_lake try 2: running']);
    // another run's tries do not move this chart
    const other = live.f.run('etl', '2025-01-02T00:00:00Z').run_id;
    live.f.ti('etl', other, 'extract', 'queued');
    live.f.ti('etl', other, 'extract', 'running');
    live.f.ti('etl', run, 'load.to_lake', 'success');
    await barsAre(page, ['extract try 1: success', 'load.to_lake try 1: up for retry', 'load.to_lake try 2: success']);
    expect(await page.locator('#gantt').getAttribute('data-run')).toBe(run);
    expect(await sameDocument(page)).toBe(true);
    await screenshot(page, 'gantt-live');
    await release(ctx);
  });

  it('the Gantt tab with no run chosen moves to a new latest run', async () => {
    const { ctx, page } = await openLive('/dags/etl/gantt');
    const before = await page.locator('#gantt').getAttribute('data-run');
    const run = live.f.run('etl', '2025-02-01T00:00:00Z').run_id;
    expect(run).not.toBe(before);
    await page.waitForFunction((r) => document.getElementById('gantt')?.dataset.run === r, run);
    live.f.ti('etl', run, 'extract', 'queued');
    live.f.ti('etl', run, 'extract', 'running');
    await barsAre(page, ['extract try 1: running']);
    expect(await bars(page)).toEqual(['extract try 1: running']);
    expect(await sameDocument(page)).toBe(true);
    await release(ctx);
  });

  it("an inner region's older answer is dropped once the enclosing region was replaced with a newer one", async () => {
    // The server sends `resync` to a client whose missed changes are gone (a reconnect after the change table was
    // trimmed): the page refreshes all of <main>. Here it arrives while the refreshes of #dag-runs and #backfills that
    // a new run asked for are in flight, and answers before them; the page's EventSource is kept by an init script so
    // the test can deliver that message at the moment it needs.
    const ctx = await live.browser.newContext({ viewport: { width: 1280, height: 800 } });
    await ctx.addCookies([{ name: '_token', value: live.cookie, url: live.f.web.url, httpOnly: true, sameSite: 'Lax' }]);
    await ctx.addInitScript(() => {
      const Native = window.EventSource;
      const w = window as unknown as { __es: EventSource[]; __refreshes: { selector: string; applied: boolean }[] };
      w.__es = [];
      w.__refreshes = [];
      window.EventSource = class extends Native {
        constructor(url: string | URL, init?: EventSourceInit) {
          super(url, init);
          w.__es.push(this);
        }
      };
      document.addEventListener('windsock:refresh', (e) => w.__refreshes.push((e as CustomEvent).detail));
    });
    const page = await ctx.newPage();
    await page.goto(`${live.f.web.url}/dags/etl/runs`);
    await page.waitForFunction(() => document.documentElement.dataset.live === 'connected');
    // The refreshes of the inner regions get the server's answer of the time they were asked, held back until later.
    const held: (() => Promise<void>)[] = [];
    let holding = true;
    await page.route((u) => u.pathname === '/dags/etl/runs', async (route) => {
      if (route.request().resourceType() !== 'fetch' || !holding) return route.continue();
      const answer = await route.fetch();
      held.push(() => route.fulfill({ response: answer }));
    });
    const run = live.f.run('etl', '2025-04-01T00:00:00Z', { v: 'older' }).run_id; // its insert asks for #dag-runs and #backfills
    await expect.poll(() => held.length).toBe(2);
    // What <main>'s answer will show and the held ones do not: a conf changed without a change event (only a run's
    // state, creation and deletion are events).
    live.f.web.store.db.prepare('UPDATE dag_run SET conf = ? WHERE dag_id = ? AND run_id = ?').run('{"v": "newer"}', 'etl', run);
    holding = false;
    await page.evaluate(() => (window as unknown as { __es: EventSource[] }).__es.at(-1)!.dispatchEvent(new MessageEvent('resync', { data: '{}' })));
    const refreshes = () => page.evaluate(() => (window as unknown as { __refreshes: { selector: string; applied: boolean }[] }).__refreshes);
    await expect.poll(async () => (await refreshes()).map((r) => `${r.selector} ${r.applied}`)).toEqual(['#live-root true']);
    const conf = () => page.evaluate((r) => document.getElementById(`rs:etl:${r}`)!.closest('tr')!.querySelector('td[data-label="Conf"]')!.textContent, run);
    expect(await conf()).toBe('{"v": "newer"}');
    for (const release of held) await release();
    await expect.poll(async () => (await refreshes()).length).toBe(3);
    expect(await conf()).toBe('{"v": "newer"}');
    expect((await refreshes()).slice(1).map((r) => `${r.selector} ${r.applied}`).sort()).toEqual(['#backfills false', '#dag-runs false']);
    await release(ctx);
  });
});

describe('what still runs counts on with the clock, between change events', () => {
  /** Counts the page's region refreshes from now on (none may happen: nothing changes in the database meanwhile). */
  const countRefreshes = (page: Page) =>
    page.evaluate(() => {
      const w = window as unknown as { __refreshed: number };
      w.__refreshed = 0;
      document.addEventListener('windsock:refresh', () => w.__refreshed++);
    });
  const refreshed = (page: Page) => page.evaluate(() => (window as unknown as { __refreshed: number }).__refreshed);

  it("a running try's Gantt bar grows and the axis extends, with no change event; its title says how long so far", async () => {
    const run = live.f.run('etl', '2025-03-01T00:00:00Z').run_id;
    runSince(live.f.web.store, 'etl', run, 20);
    trySince(live.f.web.store, { dagId: 'etl', runId: run, taskId: 'extract' }, 20, { endedAgo: 10, state: 'success' });
    trySince(live.f.web.store, { dagId: 'etl', runId: run, taskId: 'load.to_lake' }, 5);
    const { ctx, page } = await openLive(`/dags/etl/gantt?run=${encodeURIComponent(run)}`);
    await countRefreshes(page);
    const read = () =>
      page.evaluate(() => {
        const box = (task: string) => {
          const rect = [...document.querySelectorAll('#gantt rect')].find((r) => r.querySelector('title')!.textContent!.startsWith(`${task} try 1`))!;
          const b = rect.getBoundingClientRect();
          return { width: b.width, right: b.right, title: rect.querySelector('title')!.textContent! };
        };
        return { running: box('load.to_lake'), done: box('extract'), total: document.querySelector('[data-gantt-total]')?.textContent ?? null };
      });
    const before = await read();
    expect(before.running.title).toMatch(/^load\.to_lake try 1: running, \d\.\d s so far$/);
    await page.waitForFunction((w) => {
      const rect = [...document.querySelectorAll('#gantt rect')].find((r) => r.querySelector('title')!.textContent!.startsWith('load.to_lake'))!;
      return rect.getBoundingClientRect().width > w + 1;
    }, before.running.width);
    const after = await read();
    expect(after.running.width).toBeGreaterThan(before.running.width);
    expect(after.running.right).toBeCloseTo(before.running.right, 0); // it still ends at the axis's end: now
    expect(after.done.width).toBeLessThan(before.done.width); // the same 10 s on a longer axis
    expect(after.running.title).not.toBe(before.running.title);
    expect(after.total).toMatch(/^\d+ s so far$/);
    expect(after.total).not.toBe(before.total);
    expect(await refreshed(page)).toBe(0);
    // the try ends: the bar stops at its end, and nothing counts any more
    live.f.ti('etl', run, 'load.to_lake', 'success');
    await page.waitForFunction(() => document.querySelector('#gantt svg') && !document.querySelector('#gantt [data-now]'));
    expect((await read()).running.title).toMatch(/^load\.to_lake try 1: success, /);
    await release(ctx);
  });

  it('on a phone (390 px), the running bar and its task are in view in the Gantt card without scrolling, script on or off', async () => {
    const run = live.f.run('etl', '2025-03-05T00:00:00Z').run_id;
    runSince(live.f.web.store, 'etl', run, 60);
    trySince(live.f.web.store, { dagId: 'etl', runId: run, taskId: 'extract' }, 60, { endedAgo: 20, state: 'success' });
    trySince(live.f.web.store, { dagId: 'etl', runId: run, taskId: 'load.to_lake' }, 15);
    const path = `/dags/etl/gantt?run=${encodeURIComponent(run)}`;
    /** What of the chart shows inside the card's visible box: each bar's and task name's box, clipped to it. */
    const inView = (page: Page) =>
      page.evaluate(() => {
        const card = document.querySelector('#gantt .card')!;
        const c = card.getBoundingClientRect();
        const shown = (el: Element) => {
          const b = el.getBoundingClientRect();
          return b.width > 0 && b.left >= c.left - 0.5 && b.right <= c.right + 0.5 && b.top >= c.top - 0.5 && b.bottom <= c.bottom + 0.5;
        };
        const bar = [...document.querySelectorAll('#gantt rect')].find((r) => r.querySelector('title')!.textContent!.startsWith('load.to_lake try 1: running'))!;
        const label = [...document.querySelectorAll('#gantt *')].find((e) => e.childElementCount === 0 && e.textContent === 'load.to_lake')!;
        return { bar: shown(bar), label: shown(label), scrolled: card.scrollLeft, cardWidth: c.width };
      });
    for (const javaScript of [true, false]) {
      const { ctx, page } = javaScript ? await openLive(path, { width: 390 }) : await live.openSignedIn(path, { width: 390, javaScript });
      expect(await inView(page), `script ${javaScript ? 'on' : 'off'}`).toEqual({ bar: true, label: true, scrolled: 0, cardWidth: expect.any(Number) });
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await screenshot(page, `gantt-running-390${javaScript ? '' : '-nojs'}`);
      await release(ctx);
    }
    // on a wide screen the same chart, bars beside their tasks
    const { ctx, page } = await openLive(path);
    expect((await inView(page)).bar).toBe(true);
    await screenshot(page, 'gantt-running-1280');
    await release(ctx);
  });

  it("the task instance panel counts a running try's duration up, and stops at its final duration when the try ends", async () => {
    const run = live.f.run('etl', '2025-03-06T00:00:00Z').run_id;
    runSince(live.f.web.store, 'etl', run, 30);
    const k = { dagId: 'etl', runId: run, taskId: 'extract' };
    trySince(live.f.web.store, k, 25);
    const { ctx, page } = await openLive('/dags/etl');
    await countRefreshes(page);
    const col = await page.evaluate((r) => [...document.querySelectorAll<HTMLElement>('#grid th.bar')].findIndex((th) => th.dataset.run === r), run);
    await page.locator(`#grid tr[data-task="extract"] > :nth-child(${col + 2}) > a`).click();
    await page.waitForFunction((r) => (document.querySelector('[data-ti-panel]') as HTMLElement | null)?.dataset.run === r, run);
    /** The Duration cell of try 1 in the panel's table of tries. */
    const took = () =>
      page.evaluate(() => {
        const table = document.querySelector('#panel table')!;
        const col = [...table.querySelectorAll('thead th')].findIndex((th) => th.textContent === 'Duration');
        return table.querySelector('tbody tr')!.children[col].textContent!;
      });
    const first = await took();
    expect(first).toMatch(/^\d+ s so far$/);
    expect(parseInt(first)).toBeGreaterThanOrEqual(25);
    await page.waitForFunction((from) => document.querySelector('#panel tbody tr')?.textContent?.includes(from) === false, first);
    expect(await took()).toMatch(/^\d+ s so far$/);
    expect(await refreshed(page)).toBe(0);
    await screenshot(page, 'panel-running-1280');
    await page.setViewportSize({ width: 390, height: 800 });
    await screenshot(page, 'panel-running-390');
    await page.setViewportSize({ width: 1280, height: 800 });
    live.f.ti('etl', run, 'extract', 'success');
    const ti = live.f.web.store.tis.get(k)!;
    const final = duration(ti.duration ?? secondsBetween(ti.start_date, ti.end_date));
    await page.waitForFunction((want) => {
      const table = document.querySelector('#panel table');
      const col = [...(table?.querySelectorAll('thead th') ?? [])].findIndex((th) => th.textContent === 'Duration');
      return table?.querySelector('tbody tr')?.children[col]?.textContent === want;
    }, final);
    // and stays there: a tick of the clock later it reads the same
    await page.evaluate(() => new Promise((r) => setTimeout(r, 1100)));
    expect(await took()).toBe(final);
    expect(await page.locator('#panel-state').getAttribute('data-state')).toBe('success');
    expect(await sameDocument(page)).toBe(true);
    await release(ctx);
  });

  it("a running run's duration on the Runs tab counts up, and stops at its final duration when it ends", async () => {
    const run = live.f.run('etl', '2025-03-02T00:00:00Z').run_id;
    const other = live.f.run('etl', '2025-03-03T00:00:00Z').run_id;
    runSince(live.f.web.store, 'etl', run, 30);
    runSince(live.f.web.store, 'etl', other, 100);
    const { ctx, page } = await openLive('/dags/etl/runs');
    await countRefreshes(page);
    const durationOf = (r: string) =>
      page.evaluate((r) => document.getElementById(`rs:etl:${r}`)!.closest('tr')!.querySelector('td[data-label="Duration"]')!.textContent!, r);
    const changes = (r: string, from: string) =>
      page.waitForFunction(([r, from]) => document.getElementById(`rs:etl:${r}`)!.closest('tr')!.querySelector('td[data-label="Duration"]')!.textContent !== from, [r, from]);
    const first = await durationOf(run);
    expect(first).toMatch(/^3\d s so far$/);
    await changes(run, first);
    expect(await durationOf(run)).toMatch(/^3\d s so far$/);
    expect(await refreshed(page)).toBe(0);
    await screenshot(page, 'runs-running-1280');
    await page.setViewportSize({ width: 390, height: 800 });
    await screenshot(page, 'runs-running-390');
    await page.setViewportSize({ width: 1280, height: 800 });
    live.f.runState('etl', run, 'success');
    const row = live.f.web.store.runs.get('etl', run)!;
    const final = duration(secondsBetween(row.start_date, row.end_date));
    await page.waitForFunction(([r, want]) => document.getElementById(`rs:etl:${r}`)!.closest('tr')!.querySelector('td[data-label="Duration"]')!.textContent === want, [run, final]);
    // it stays there while the other running run counts on
    for (let i = 0; i < 2; i++) await changes(other, await durationOf(other));
    expect(await durationOf(run)).toBe(final);
    expect(await sameDocument(page)).toBe(true);
    await release(ctx);
  });
});
