// Open pages following changes made elsewhere, in a real Chromium (Debian's, through playwright-core): a backfill
// paused and unpaused through the REST API, a task instance deleted through it, a variable set and deleted through
// it, a user created and deleted, and the task instance panel answering the last cell clicked even when an earlier
// click's answer comes back after it, or the task instance it showed changes while the click's answer is on its way.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { release } from '../support/browser.js';
import { holdAnswers, liveSuite, sameDocument } from '../support/live-page.js';
import { createBackfill } from '../../engine/service/backfill.js';
import { insertTaskInstances } from '../../engine/state/dag-runs.js';
import { createUser } from '../../engine/service/users.js';

const live = liveSuite();
const { openLive } = live;

/** Whether the grid cell of (run, task), found as the script finds it (the column by its header, the row by its task), shows `state` with this title and text. */
function cellIs([run, task, state, title, text]: [string, string, string, string | null, string | null]): boolean {
  const cols = [...document.querySelectorAll<HTMLElement>('#grid th.bar')].map((th) => th.dataset.run);
  const tr = [...document.querySelectorAll<HTMLTableRowElement>('#grid tr[data-task]')].find((r) => r.dataset.task === task);
  const cell = tr?.cells[cols.indexOf(run) + 1]?.querySelector('a');
  return !!cell && cell.classList.contains(`st-${state}`) && (title === null || cell.getAttribute('title') === title) && (text === null || cell.textContent === text);
}
type CellWant = [string, string, string, string | null, string | null];

/** The grid cell's locator (the row's first cell is the task's name, then one per run). */
async function cellLocator(page: Page, run: string, task: string) {
  const col = await page.evaluate((r) => [...document.querySelectorAll<HTMLElement>('#grid th.bar')].findIndex((th) => th.dataset.run === r), run);
  expect(col).toBeGreaterThanOrEqual(0);
  return page.locator(`#grid tr[data-task="${task}"] > :nth-child(${col + 2}) > a`);
}

describe('open pages follow changes made elsewhere', () => {
  it('a backfill paused and unpaused through the API shows on an open Runs tab without a reload', async () => {
    const b = createBackfill(live.f.web.store, { dag: live.f.specs.get('etl')!, from: new Date('2024-06-01T00:00:00Z'), to: new Date('2024-06-02T00:00:00Z'), labels: { from: 'from', to: 'to' }, conf: {}, reprocess: 'none', maxActiveRuns: 1 });
    const { ctx, page } = await openLive('/dags/etl/runs');
    const status = (s: string) => page.waitForFunction(([id, want]) => document.querySelector(`tr[data-backfill="${id}"]`)?.getAttribute('data-status') === want, [String(b.id), s]);
    await status('running');
    // Pause and unpause change no run: only the backfill's own change can tell the page.
    expect((await live.f.web.req('PUT', `/api/v2/backfills/${b.id}/pause`, { token: live.token })).status).toBe(200);
    await status('paused');
    await expect(page.locator(`tr[data-backfill="${b.id}"] button`, { hasText: 'Unpause' }).count()).resolves.toBe(1);
    expect((await live.f.web.req('PUT', `/api/v2/backfills/${b.id}/unpause`, { token: live.token })).status).toBe(200);
    await status('running');
    await expect(page.locator(`tr[data-backfill="${b.id}"] button`, { hasText: 'Pause' }).count()).resolves.toBe(1);
    expect(await sameDocument(page)).toBe(true);
    await release(ctx);
  });

  it('a task instance deleted through the API leaves the open grid and the task instance list without a reload', async () => {
    const run = live.f.run('etl', '2024-03-01T00:00:00Z').run_id;
    for (const s of ['queued', 'running', 'success'] as const) live.f.ti('etl', run, 'extract', s);
    const grid = await openLive('/dags/etl');
    const list = await openLive('/task-instances');
    expect(await grid.page.evaluate(cellIs, [run, 'extract', 'success', null, null] as CellWant)).toBe(true);
    const badge = `[id="ts:etl:${run}:extract"]`;
    await list.page.locator(badge).waitFor();
    const r = await live.f.web.req('DELETE', `/api/v2/dags/etl/dagRuns/${encodeURIComponent(run)}/taskInstances/extract`, { token: live.token });
    expect(r.status).toBe(200);
    await grid.page.waitForFunction(cellIs, [run, 'extract', 'none', 'not in this run', ''] as CellWant);
    await list.page.locator(badge).waitFor({ state: 'detached' });
    // The scheduler adds it back (verify_integrity), in state none: the cell shows it again.
    const again = { taskId: 'extract', operator: 'bash', pool: 'default_pool', poolSlots: 1, priorityWeight: 1, maxTries: 0 };
    live.f.web.store.tx(() => insertTaskInstances(live.f.web.store.db, 'etl', run, [again]));
    await grid.page.waitForFunction(cellIs, [run, 'extract', 'none', 'no status', '·'] as CellWant);
    // A task new to the DAG's file, added to the run: the grid gains its row.
    const etl = live.f.specs.get('etl')!;
    live.f.specs.set('etl', { ...etl, tasks: [...etl.tasks, { ...etl.tasks.find((t) => t.taskId === 'extract')!, taskId: 'late_task' }] });
    try {
      live.f.web.store.tx(() => insertTaskInstances(live.f.web.store.db, 'etl', run, [{ ...again, taskId: 'late_task' }]));
      await grid.page.waitForFunction(cellIs, [run, 'late_task', 'none', null, null] as CellWant);
    } finally {
      live.f.specs.set('etl', etl);
    }
    expect(await sameDocument(grid.page)).toBe(true);
    expect(await sameDocument(list.page)).toBe(true);
    await release(grid.ctx);
    await release(list.ctx);
  });

  it("the task instance panel shows the last cell clicked, even when an earlier click's answer arrives after it", async () => {
    const run = live.f.run('etl', '2024-03-02T00:00:00Z').run_id;
    for (const s of ['queued', 'running', 'success'] as const) live.f.ti('etl', run, 'extract', s);
    const { ctx, page } = await openLive('/dags/etl');
    type Shown = { task: string; applied: boolean };
    await page.evaluate(() => {
      const w = window as unknown as { __panels: Shown[] };
      w.__panels = [];
      document.addEventListener('windsock:panel', (e) => w.__panels.push((e as CustomEvent<Shown>).detail));
    });
    // The answer for the first cell (extract) is read at once but held back until the second cell's panel is shown.
    const held = await holdAnswers(page, '**/fragment/panel*', (u) => u.searchParams.get('task') === 'extract');
    const panelTask = () => page.locator('[data-ti-panel]').getAttribute('data-task');
    await (await cellLocator(page, run, 'extract')).click();
    await held.asked;
    await (await cellLocator(page, run, 'load.to_lake')).click();
    await page.waitForFunction(() => (document.querySelector('[data-ti-panel]') as HTMLElement | null)?.dataset.task === 'load.to_lake');
    await held.release(); // the newer click aborted its fetch (the fix): there is nothing left to deliver it to
    // Either the stale answer was dropped (the event says so) or it was shown (the bug): wait for whichever happens.
    await page.waitForFunction(() => (window as unknown as { __panels: Shown[] }).__panels.some((p) => p.task === 'extract') || (document.querySelector('[data-ti-panel]') as HTMLElement | null)?.dataset.task === 'extract');
    expect(await panelTask()).toBe('load.to_lake');
    const panels = (await page.evaluate(() => (window as unknown as { __panels: (Shown & { seq: number })[] }).__panels)).sort((a, b) => a.seq - b.seq);
    expect(panels.map((p) => [p.task, p.applied])).toEqual([['extract', false], ['load.to_lake', true]]);
    expect(new URL(page.url()).searchParams.get('task')).toBe('load.to_lake');
    expect(await page.locator('#grid a[aria-selected="true"]').count()).toBe(1);
    // the panel shown follows its task instance live
    live.f.ti('etl', run, 'load.to_lake', 'queued');
    await page.waitForFunction(() => document.getElementById('panel-state')?.getAttribute('data-state') === 'queued');
    expect(await sameDocument(page)).toBe(true);
    await release(ctx);
  });

  it("a change of the task instance shown while another cell's panel is on its way does not undo that click", async () => {
    const run = live.f.run('etl', '2024-03-03T00:00:00Z').run_id;
    for (const s of ['queued', 'running'] as const) live.f.ti('etl', run, 'extract', s);
    const { ctx, page } = await openLive('/dags/etl');
    await (await cellLocator(page, run, 'extract')).click();
    await page.waitForFunction(() => (document.querySelector('[data-ti-panel]') as HTMLElement | null)?.dataset.task === 'extract');
    // The answer for the second cell is held until the change of the first one has reached the page.
    const held = await holdAnswers(page, '**/fragment/panel*', (u) => u.searchParams.get('task') === 'load.to_lake');
    await (await cellLocator(page, run, 'load.to_lake')).click();
    live.f.ti('etl', run, 'extract', 'success');
    await page.waitForFunction(cellIs, [run, 'extract', 'success', null, null] as CellWant);
    await held.release();
    await page.waitForFunction(() => (document.querySelector('[data-ti-panel]') as HTMLElement | null)?.dataset.task === 'load.to_lake');
    expect(new URL(page.url()).searchParams.get('task')).toBe('load.to_lake');
    expect(await sameDocument(page)).toBe(true);
    await release(ctx);
  });

  it("a grid refresh asked before a click and answered after it keeps the clicked cell's panel and selection", async () => {
    const run = live.f.run('etl', '2024-03-04T00:00:00Z').run_id;
    for (const s of ['queued', 'running', 'success'] as const) live.f.ti('etl', run, 'extract', s);
    const { ctx, page } = await openLive('/dags/etl');
    await page.evaluate(() => {
      const w = window as unknown as { __grid: boolean[] };
      w.__grid = [];
      document.addEventListener('windsock:refresh', (e) => {
        const d = (e as CustomEvent<{ selector: string; applied: boolean }>).detail;
        if (d.selector === '.grid-wrap') w.__grid.push(d.applied);
      });
    });
    // The grid's answer (drawn before the click: no panel chosen) is read at once and held until the click's panel shows.
    const held = await holdAnswers(page, '**/fragment/grid*');
    const newer = live.f.run('etl', '2024-03-05T00:00:00Z').run_id; // a new run: the open grid asks for itself again
    await held.asked;
    await (await cellLocator(page, run, 'load.to_lake')).click();
    await page.waitForFunction(() => (document.querySelector('[data-ti-panel]') as HTMLElement | null)?.dataset.task === 'load.to_lake');
    await held.release();
    await page.waitForFunction(() => (window as unknown as { __grid: boolean[] }).__grid.length > 0);
    // the grid's answer is applied (the new run's column shows) and the panel and the selected cell stay the click's
    expect((await page.evaluate(() => (window as unknown as { __grid: boolean[] }).__grid))[0]).toBe(true);
    expect(await page.locator(`#grid th.bar[data-run="${newer}"]`).count()).toBe(1);
    expect(await page.locator('[data-ti-panel]').getAttribute('data-task')).toBe('load.to_lake');
    expect(await page.locator('#grid a[aria-selected="true"]').count()).toBe(1);
    expect(await (await cellLocator(page, run, 'load.to_lake')).getAttribute('aria-selected')).toBe('true');
    expect(await sameDocument(page)).toBe(true);
    await release(ctx);
  });

  it('a variable set and deleted through the API shows in an open variables list, and what is typed in its form stays', async () => {
    const { ctx, page } = await openLive('/variables');
    await page.fill('#variable-form input[name=key]', 'typed_by_me');
    const r = await live.f.web.req('POST', '/api/v2/variables', { token: live.token, json: { key: 'set_elsewhere', value: 'v1' } });
    expect(r.status).toBe(201);
    await page.locator('#variables tr[data-key="set_elsewhere"]').waitFor();
    expect(await page.inputValue('#variable-form input[name=key]')).toBe('typed_by_me');
    expect((await live.f.web.req('DELETE', '/api/v2/variables/set_elsewhere', { token: live.token })).status).toBe(204);
    await page.locator('#variables tr[data-key="set_elsewhere"]').waitFor({ state: 'detached' });
    expect(await sameDocument(page)).toBe(true);
    await release(ctx);
  });

  it('a user created and deleted (as `dag users create|delete` do) shows in an open users list', async () => {
    const { ctx, page } = await openLive('/users');
    const row = page.locator('main tr', { hasText: 'late_joiner' });
    expect(await row.count()).toBe(0);
    await createUser(live.f.web.store, { username: 'late_joiner', role: 'op', password: 'late-joiner-password' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('op');
    live.f.web.store.users.delete('late_joiner');
    await row.waitFor({ state: 'detached' });
    expect(await sameDocument(page)).toBe(true);
    await release(ctx);
  });
});
