// The admin pages: server render of the grid at 25 runs x 500 tasks and of the DAG list with 1,000 DAGs (over
// loopback HTTP, median of 10), each against the same data read from the store and serialised as JSON (the page's
// floor), the same in CPU time (steadier on a loaded machine) and the grid page's size; in headless Chromium, the grid's first contentful paint and the delay from a committed task state change
// to the open grid showing it (p95 over 100 changes), a 50 MB log's first lines and its scrolling; and the JavaScript
// shipped to the admin pages.
// Airflow 3 polls every 3 s and its users report grid loads of 30 s at a few thousand tasks (apache/airflow#56554,
// #56968): those are the figures to compare with.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../engine/state/store.js';
import { loadDagFolder } from '../engine/dag/index.js';
import { describeSchedule } from '../engine/schedule/index.js';
import { builtinOperators } from '../engine/operators/builtin.js';
import { OperatorRegistry } from '../engine/operators/registry.js';
import { createRun } from '../engine/run/prepare-run.js';
import { createUser } from '../engine/service/users.js';
import { createApp } from '../ui/server/app.js';
import { listen } from '../ui/server/listen.js';
import { webSettings } from '../ui/server/settings.js';
import { ChangeFeed } from '../ui/server/change-feed.js';
import { gridData } from '../ui/server/pages/data/grid.js';
import { dagList } from '../ui/server/pages/data/dag-list.js';
import { launchBrowser } from '../tests/support/browser.js';
import { attemptLogPath } from '../engine/run/task-log.js';
import { median, timeMs, type BenchResult } from './stats.js';

const RUNS = 25;
const TASKS = 500;
const DAGS = 1000;
/** A task's id once in its group (Airflow prefixes it with the group id). */
const taskId = (t: number) => `g${t % 10}.t${t}`;
const STATES = ['success', 'failed', 'running', 'queued', 'skipped', 'upstream_failed', 'up_for_retry'];

function bigDag(): string {
  const lines = ['big:', '  schedule: "@daily"', '  default_args: {start_date: 2024-01-01}', '  task_groups:'];
  for (let g = 0; g < 10; g++) lines.push(`    - {group_name: g${g}}`);
  lines.push('  tasks:');
  for (let t = 0; t < TASKS; t++) {
    lines.push(`    - {task_id: t${t}, operator: empty, task_group_name: g${t % 10}${t >= 10 ? `, dependencies: [t${t - 10}]` : ''}}`);
  }
  return lines.join('\n') + '\n';
}

function smallDag(i: number): string {
  return `d${String(i).padStart(4, '0')}:\n  schedule: "${i % 60} ${i % 24} * * *"\n  tags: [t${i % 7}]\n  default_args: {start_date: 2024-01-01, owner: o${i % 5}}\n  tasks:\n    - {task_id: a, operator: empty}\n`;
}

async function medianOf(n: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(await timeMs(fn));
  return median(xs);
}

/** Median CPU time (user + system, ms) of `fn`. */
async function cpuMedianOf(n: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const before = process.cpuUsage();
    await fn();
    const d = process.cpuUsage(before);
    xs.push((d.user + d.system) / 1000);
  }
  return median(xs);
}

/** The bench's data (25 runs x 500 tasks, 1,000 DAGs) served on loopback, with a signed-in cookie: for the figures
 * below and for profiling the render (`node --cpu-prof` on a loop of `get`). */
export async function uiBenchServer() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'windsock-bench-ui-'));
  const home = path.join(root, 'home');
  const dags = path.join(root, 'dags');
  fs.mkdirSync(dags, { recursive: true });
  fs.writeFileSync(path.join(dags, 'big.yaml'), bigDag());
  for (let i = 0; i < DAGS - 1; i++) fs.writeFileSync(path.join(dags, `d${i}.yaml`), smallDag(i));
  const store = Store.open(home);
  const feed = ChangeFeed.open(home);
  const { dags: specs, problems } = loadDagFolder(dags, new OperatorRegistry().registerAll(builtinOperators));
  if (problems.length) throw new Error(`bench DAGs have problems: ${problems[0].message}`);
  store.dags.sync(specs, (d) => d.schedule.source, (d) => describeSchedule(d.schedule, d.timezone));
  const byId = new Map(specs.map((d) => [d.dagId, d]));
  const big = byId.get('big')!;
  const runIds: string[] = [];
  store.tx(() => {
    for (let r = 0; r < RUNS; r++) {
      const d = new Date(Date.UTC(2024, 0, 1 + r));
      runIds.push(createRun(store, big, { runId: `scheduled__${d.toISOString()}`, logicalDate: d, dataIntervalStart: d, dataIntervalEnd: d }, 'scheduled', {}, false).run_id);
    }
    store.db.prepare(`UPDATE task_instance SET state = (SELECT value FROM json_each(?) WHERE key = (abs(random()) % 7)), duration = abs(random() % 100)`).run(JSON.stringify(STATES));
    for (let i = 0; i < DAGS - 1; i += 3) {
      const d = new Date(Date.UTC(2024, 0, 1));
      createRun(store, byId.get(`d${String(i).padStart(4, '0')}`)!, { runId: 'scheduled__x', logicalDate: d, dataIntervalStart: d, dataIntervalEnd: d }, 'scheduled', {}, false);
    }
  });
  await createUser(store, { username: 'bench', role: 'admin', password: 'bench-password' });
  const web = webSettings({ WINDSOCK_SECRET_KEY: 'bench-secret-0123456789-0123456789-0123456789' });
  const app = createApp({ store, web, home, dagsFolder: dags, version: 'bench', feed, dagBag: { get: async (id) => byId.get(id), all: async () => [...byId.values()] } });
  const server = await listen(app, '127.0.0.1', 0);
  const login = await fetch(`${server.url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
    body: new URLSearchParams({ username: 'bench', password: 'bench-password' }),
    redirect: 'manual',
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  const get = async (p: string) => {
    const res = await fetch(server.url + p, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`${p}: ${res.status}`);
    return res.text();
  };
  const close = async () => {
    feed.close();
    await server.close();
    store.close();
    fs.rmSync(root, { recursive: true, force: true });
  };
  return { root, home, store, app, server, cookie, get, big, runIds, close };
}

export async function benchUi(): Promise<BenchResult[]> {
  const { home, store, server, cookie, get, big, runIds, close } = await uiBenchServer();
  const browser = await launchBrowser();
  try {
    const gridHtml = await get('/dags/big');
    if (!gridHtml.includes(`<tr data-task="${taskId(TASKS - 1)}"`) || !gridHtml.includes(`data-run="${runIds[RUNS - 1]}"`)) throw new Error('the grid page lacks its last cell');
    const gridKb = Buffer.byteLength(gridHtml) / 1024;
    const grid = await medianOf(10, () => get('/dags/big'));
    const gridFloor = await medianOf(10, () => JSON.stringify([...gridData(store, 'big', big).cells]));
    const list = await medianOf(10, () => get('/'));
    const listFloor = await medianOf(10, () => JSON.stringify(dagList(store, {})));
    // The same in CPU time of this process (server and client are both in it): on a loaded machine the wall times
    // above wait for the CPU at every await, the CPU time does not.
    const gridCpu = await cpuMedianOf(10, () => get('/dags/big'));
    const gridFloorCpu = await cpuMedianOf(10, () => JSON.stringify([...gridData(store, 'big', big).cells]));
    const listCpu = await cpuMedianOf(10, () => get('/'));
    const listFloorCpu = await cpuMedianOf(10, () => JSON.stringify(dagList(store, {})));

    // In Chromium: first contentful paint of the grid, then the delay of 100 state changes.
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await ctx.addCookies([{ name: '_token', value: cookie.split('=')[1], url: server.url }]);
    const page = await ctx.newPage();
    const fcps: number[] = [];
    for (let i = 0; i < 5; i++) {
      await page.goto(`${server.url}/dags/big`);
      fcps.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN));
    }
    await page.waitForFunction(() => document.documentElement.dataset.live === 'connected');
    await page.evaluate(() => {
      const seen: Record<string, number> = {};
      (window as unknown as { __seen: Record<string, number> }).__seen = seen;
      const runs = [...document.querySelectorAll<HTMLElement>('#grid th.bar')].map((th) => th.dataset.run);
      new MutationObserver((ms) => {
        const now = Date.now();
        for (const m of ms) {
          const el = m.target as HTMLElement;
          const td = el.parentElement as HTMLTableCellElement;
          const task = (td?.parentElement as HTMLElement | null)?.dataset.task;
          if (task) seen[`${runs[td.cellIndex - 1]}:${task}=${el.getAttribute('data-state')}`] = now;
        }
      }).observe(document.querySelector('#grid tbody')!, { attributes: true, subtree: true, attributeFilter: ['data-state'] });
    });
    const delays: number[] = [];
    const run = runIds[RUNS - 1];
    for (let i = 0; i < 100; i++) {
      const task = taskId((i * 37) % TASKS);
      const state = i % 2 ? 'success' : 'running';
      const before = store.tis.get({ dagId: 'big', runId: run, taskId: task })!.state;
      const target = before === state ? 'failed' : state;
      const t0 = Date.now();
      store.tx(() => store.tis.setState({ dagId: 'big', runId: run, taskId: task }, target as never));
      const key = `${run}:${task}=${target}`;
      await page.waitForFunction((k) => (window as unknown as { __seen: Record<string, number> }).__seen[k] !== undefined, key, { polling: 10 });
      delays.push((await page.evaluate((k) => (window as unknown as { __seen: Record<string, number> }).__seen[k], key)) - t0);
    }
    // A 50 MB log: the time from asking for its page to its last lines shown, then the longest frame while the
    // reader scrolls through what is shown (requestAnimationFrame gaps over 60 scroll steps).
    const logFile = attemptLogPath(home, 'big', run, taskId(0), 1);
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const line = `[2024-01-01T00:00:00Z] {INFO} ${'a log line of the task, long enough to be typical '.repeat(2)}\n`;
    const block = line.repeat(Math.ceil((1 << 20) / line.length));
    const fd = fs.openSync(logFile, 'w');
    for (let i = 0; i < 50; i++) fs.writeSync(fd, block);
    fs.closeSync(fd);
    const logUrl = `${server.url}/dags/big/runs/${encodeURIComponent(run)}/tasks/${encodeURIComponent(taskId(0))}?try=1`;
    const logShown: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      await page.goto(logUrl, { waitUntil: 'commit' });
      await page.waitForFunction(() => (document.getElementById('log')?.textContent?.length ?? 0) > 0, undefined, { polling: 'raf' });
      logShown.push(Date.now() - t0);
    }
    const longestFrame = await page.evaluate(async () => {
      const log = document.getElementById('log')!;
      let worst = 0;
      let last = performance.now();
      for (let i = 0; i < 60; i++) {
        log.scrollTop = (log.scrollHeight * (60 - i)) / 60;
        await new Promise(requestAnimationFrame);
        const now = performance.now();
        worst = Math.max(worst, now - last);
        last = now;
      }
      return worst;
    });
    delays.sort((a, b) => a - b);
    const p95 = delays[Math.floor(delays.length * 0.95) - 1];
    const assets = fileURLToPath(new URL('../ui/assets/', import.meta.url));
    const kb = (f: string) => fs.statSync(path.join(assets, f)).size / 1024;
    return [
      { name: `grid page render, ${RUNS} runs x ${TASKS} tasks (HTTP)`, value: grid, unit: 'ms', baseline: gridFloor, baselineName: 'its cells read + JSON', ratio: grid / gridFloor, target: '<= 100 ms' },
      { name: `DAG list render, ${DAGS} DAGs (HTTP)`, value: list, unit: 'ms', baseline: listFloor, baselineName: 'its rows read + JSON', ratio: list / listFloor, target: '<= 150 ms' },
      { name: `grid page render, CPU time of the process`, value: gridCpu, unit: 'ms', baseline: gridFloorCpu, baselineName: 'its cells read + JSON', ratio: gridCpu / gridFloorCpu },
      { name: `DAG list render, CPU time of the process`, value: listCpu, unit: 'ms', baseline: listFloorCpu, baselineName: 'its rows read + JSON', ratio: listCpu / listFloorCpu },
      { name: 'grid first contentful paint (Chromium, median of 5)', value: median(fcps), unit: 'ms', target: '<= 500 ms' },
      { name: 'state change committed -> shown in the open grid, p95 of 100', value: p95, unit: 'ms', baseline: 3000, baselineName: "Airflow 3's refresh interval", ratio: p95 / 3000, target: '<= 250 ms' },
      { name: '50 MB log: page asked -> its last lines shown (Chromium, median of 3)', value: median(logShown), unit: 'ms', target: '<= 500 ms' },
      { name: '50 MB log: longest frame while scrolling what is shown (60 steps)', value: longestFrame, unit: 'ms', target: 'responsive (one frame is 16.7 ms)' },
      { name: `grid page size, ${RUNS} runs x ${TASKS} tasks`, value: gridKb, unit: 'KB' },
      { name: 'JavaScript for the admin pages (admin.js, minified)', value: kb('admin.js'), unit: 'KB', target: '<= 100 KB' },
      { name: 'JavaScript of the graph tab (graph.js with dagre, loaded there only)', value: kb('graph.js'), unit: 'KB' },
    ];
  } finally {
    await browser.close();
    await close();
  }
}
