// Web server benchmark (issue 9), on a state database of 50 DAGs, 10,000 runs and 200,000 task instances, over
// loopback, the full app (auth on, a bearer token) in this process and the clients in a forked process (web-load.ts).
// Each figure sits beside a baseline measured on the same server in the same run: a route answering a constant JSON
// body, behind the same middleware but no database. Figures: the run listing's p50 / p99, a 500-task run's task
// instances p50, the DAG list's requests per second under 32 connections against the baseline's, 200 SSE clients'
// commit-to-receive latency (bench/events.ts), and the server's RSS idle and after the load.
import { EventEmitter } from 'node:events';
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../engine/state/store.js';
import { createUser } from '../engine/service/users.js';
import { createApp } from '../ui/server/app.js';
import { ChangeFeed } from '../ui/server/change-feed.js';
import { listen } from '../ui/server/listen.js';
import { webSettings } from '../ui/server/settings.js';
import { benchSseFanout, mountConstantSse, type SseHost } from './events.js';
import { percentile, type BenchResult } from './stats.js';
import type { CannonFigures, LoadJob } from './web-load.js';
import { BIG_RUN_TASKS, DAGS, RUNS, TASK_INSTANCES } from './web-state.js';

const SAMPLES = 300;
const CONSTANT_PATH = '/bench/constant';
const CONSTANT = { status: 'ok', items: [1, 2, 3], note: 'a constant body, answered without touching the database' };
const MB = 1024 * 1024;

/** The load generator in its own process; one job at a time. */
function loadGenerator(): { run: <T>(job: LoadJob) => Promise<T>; child: ChildProcess } {
  const child = fork(fileURLToPath(new URL('./web-load.js', import.meta.url)), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const run = <T>(job: LoadJob) =>
    new Promise<T>((resolve, reject) => {
      child.once('message', (m: { ok: boolean; result?: T; error?: string }) => (m.ok ? resolve(m.result as T) : reject(new Error(m.error))));
      child.send(job);
    });
  return { run, child };
}

const rss = () => process.memoryUsage().rss / MB;

export async function benchWeb(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'windsock-bench-web-'));
  const home = path.join(dir, 'home');
  const loadBefore = os.loadavg()[0];
  const load = loadGenerator();
  const t0 = performance.now();
  const { bigRun } = await load.run<{ bigRun: { dagId: string; runId: string } }>({ kind: 'build', home }).catch((err) => {
    load.child.kill();
    throw err;
  });
  const buildMs = performance.now() - t0;

  const store = Store.open(home);
  const feed = ChangeFeed.open(home);
  const web = webSettings({ WINDSOCK_SECRET_KEY: 'bench-secret-key-0123456789-0123456789', WINDSOCK_WEB_LOGIN_RATE: '1000' });
  const app = createApp({ store, web, home, dagsFolder: '/dags', version: 'bench', feed });
  app.get(CONSTANT_PATH, (c) => c.json(CONSTANT));
  const emitter = new EventEmitter();
  mountConstantSse(app, emitter);
  const server = await listen(app, '127.0.0.1', 0);
  try {
    await createUser(store, { username: 'bench', role: 'viewer', password: 'bench-password' });
    const login = await fetch(`${server.url}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: 'bench-password' }) });
    const headers = { authorization: `Bearer ${((await login.json()) as { access_token: string }).access_token}` };
    const rssIdle = rss();

    const latencies = (url: string, h: Record<string, string> = headers) => load.run<number[]>({ kind: 'latency', url: server.url + url, headers: h, count: SAMPLES, warmup: 30 });
    const constant = await latencies(CONSTANT_PATH, {});
    const runs = await latencies('/api/v2/dags/~/dagRuns?limit=100&order_by=-run_after');
    const tis = await latencies(`/api/v2/dags/${bigRun.dagId}/dagRuns/${encodeURIComponent(bigRun.runId)}/taskInstances?limit=${BIG_RUN_TASKS}`);
    const cannon = (url: string, h: Record<string, string> = headers) => load.run<CannonFigures>({ kind: 'cannon', url: server.url + url, headers: h, connections: 32, durationSec: 10 });
    const constantRps = await cannon(CONSTANT_PATH, {});
    const dagsRps = await cannon('/api/v2/dags');
    if (dagsRps.non2xx || dagsRps.errors) throw new Error(`GET /api/v2/dags under load: ${dagsRps.non2xx} non-2xx answers, ${dagsRps.errors} errors`);
    // the SSE clients and the committing writer in the load generator's process too, not in the server's
    const host: SseHost = {
      clients: async (url, count, h) => {
        await load.run({ kind: 'sse-open', url, count, headers: h });
        return () => load.run({ kind: 'sse-close' });
      },
      writer: (h, dagId, count) => load.run({ kind: 'sse-write', home: h, dagId, count }),
    };
    const sse = await benchSseFanout({ base: server.url, headers, emitter, home, dagId: 'dag_01', host });
    const rssAfter = rss();

    const p = (xs: number[], q: number) => percentile(xs, q);
    const vsConstant = (name: string, xs: number[], q: number, target: string): BenchResult => ({
      name: `${name}, p${q}`, value: p(xs, q), unit: 'ms', baseline: p(constant, q), baselineName: 'constant JSON route', ratio: p(xs, q) / p(constant, q), target,
    });
    return [
      { name: `state database built (${RUNS.toLocaleString('en')} runs, ${TASK_INSTANCES.toLocaleString('en')} task instances)`, value: buildMs, unit: 'ms' },
      vsConstant('GET /api/v2/dags/~/dagRuns?limit=100&order_by=-run_after', runs, 50, '<= 10 ms'),
      vsConstant('GET /api/v2/dags/~/dagRuns?limit=100&order_by=-run_after', runs, 99, '<= 40 ms'),
      vsConstant(`GET .../taskInstances of one run of ${BIG_RUN_TASKS} tasks`, tis, 50, '<= 20 ms'),
      {
        name: `GET /api/v2/dags (${DAGS} DAGs), 32 connections for 10 s`, value: dagsRps.requestsPerSec, unit: 'req/s', baseline: constantRps.requestsPerSec,
        baselineName: 'constant JSON route', ratio: dagsRps.requestsPerSec / constantRps.requestsPerSec, target: '>= 0.5x the baseline',
      },
      ...sse,
      { name: 'server RSS idle', value: rssIdle, unit: 'MB', target: '<= 200 MB' },
      { name: 'server RSS after the load', value: rssAfter, unit: 'MB', baseline: rssIdle, baselineName: 'idle', ratio: rssAfter / rssIdle, target: '<= 200 MB' },
      { name: 'load average (1 min) before / after', value: loadBefore, unit: '', baseline: os.loadavg()[0], baselineName: 'after' },
    ];
  } finally {
    load.child.kill();
    feed.close();
    await server.close();
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
