// Web server benchmark (issue 9), on a state database of 50 DAGs, 10,000 runs and 200,000 task instances, over
// loopback: the full app (auth on, a bearer token) in a forked process of its own (web-server.ts) and the clients in
// another (web-load.ts), so that the server's RSS, read from /proc/<pid>/status, is the server's alone
// (BENCH_SERVER_NODE_ARGS adds node flags to the server, e.g. --max-old-space-size=128).
// Each figure sits beside a baseline measured on the same server in the same run: a route answering a constant JSON
// body, behind the same middleware but no database. Figures: the run listing's p50 / p99, a 500-task run's task
// instances p50, the DAG list's requests per second under 32 connections against the baseline's, 200 SSE clients'
// commit-to-receive latency (bench/events.ts), and the server's RSS idle and after the load; then the RSS of `dag serve`
// itself, started as users start it (web-serve.ts: the CLI, no NODE_OPTIONS), idle and after the same requests.
import { EventEmitter } from 'node:events';
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../engine/state/store.js';
import { createUser } from '../engine/service/users.js';
import { benchSseFanout, type SseHost } from './events.js';
import { EVENTS_PATH } from '../ui/server/events.js';
import { percentile, type BenchResult } from './stats.js';
import { startDagServe } from './web-serve.js';
import type { CannonFigures, LoadJob } from './web-load.js';
import { CONSTANT_PATH, SECRET_KEY, type ServerMessage } from './web-server.js';
import { BIG_RUN_TASKS, DAG_IDS, DAGS, RUNS, TASK_INSTANCES } from './web-state.js';

const SAMPLES = 300;
const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The bench user's bearer header on the server at `url`. */
async function bearer(url: string): Promise<Record<string, string>> {
  const login = await fetch(`${url}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: 'bench-password' }) });
  if (login.status !== 201) throw new Error(`POST ${url}/auth/token answered ${login.status}`);
  return { authorization: `Bearer ${((await login.json()) as { access_token: string }).access_token}` };
}

/** A bench child process asked over IPC for one job at a time (each answers one message per job). */
function child(script: string, args: string[] = []): { ask: <T>(job: unknown) => Promise<T>; next: <T>() => Promise<T>; proc: ChildProcess } {
  const proc = fork(fileURLToPath(new URL(script, import.meta.url)), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: process.env.BENCH_SERVER_NODE_ARGS?.split(' ') ?? [] });
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${script} exited (${code}) before answering`));
      proc.once('exit', onExit);
      proc.once('message', (m: T) => {
        proc.off('exit', onExit);
        resolve(m);
      });
    });
  const ask = <T>(job: unknown) => {
    const answer = next<T>();
    proc.send(job as object);
    return answer;
  };
  return { ask, next, proc };
}

/** The load generator's answer to a job. */
async function loadJob<T>(load: ReturnType<typeof child>, job: LoadJob): Promise<T> {
  const m = await load.ask<{ ok: boolean; result?: T; error?: string }>(job);
  if (!m.ok) throw new Error(m.error);
  return m.result as T;
}

/** The server process's resident set (MB): VmRSS of /proc/<pid>/status, or what it says itself off Linux. */
async function serverRss(server: ReturnType<typeof child>): Promise<number> {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${server.proc.pid}/status`, 'utf8'));
    if (kb) return Number(kb[1]) / 1024;
  } catch {
    // no /proc: ask the server
  }
  return (await server.ask<{ rss: number }>({ rss: true } satisfies ServerMessage)).rss / MB;
}

export async function benchWeb(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'windsock-bench-web-'));
  const home = path.join(dir, 'home');
  const loadBefore = os.loadavg()[0];
  const load = child('./web-load.js');
  let server: ReturnType<typeof child> | undefined;
  try {
    const t0 = performance.now();
    const { bigRun } = await loadJob<{ bigRun: { dagId: string; runId: string } }>(load, { kind: 'build', home });
    const buildMs = performance.now() - t0;
    const users = Store.open(home);
    await createUser(users, { username: 'bench', role: 'viewer', password: 'bench-password' });
    users.close();

    server = child('./web-server.js', [home]);
    const { url } = await server.next<{ url: string }>();
    const headers = await bearer(url);
    // Idle: listening, one login answered, nothing else asked yet.
    await sleep(1000);
    const rssIdle = await serverRss(server);

    const latencies = (path: string, h: Record<string, string> = headers, base = url) => loadJob<number[]>(load, { kind: 'latency', url: base + path, headers: h, count: SAMPLES, warmup: 30 });
    const constant = await latencies(CONSTANT_PATH, {});
    const RUNS_PATH = '/api/v2/dags/~/dagRuns?limit=100&order_by=-run_after';
    const TIS_PATH = `/api/v2/dags/${bigRun.dagId}/dagRuns/${encodeURIComponent(bigRun.runId)}/taskInstances?limit=${BIG_RUN_TASKS}`;
    const runs = await latencies(RUNS_PATH);
    const tis = await latencies(TIS_PATH);
    const cannon = (path: string, h: Record<string, string> = headers, base = url) => loadJob<CannonFigures>(load, { kind: 'cannon', url: base + path, headers: h, connections: 32, durationSec: 10 });
    const constantRps = await cannon(CONSTANT_PATH, {});
    const dagsRps = await cannon('/api/v2/dags');
    // as browsers and Python's requests ask: gzip accepted (the baseline's small body is not compressed either way)
    const dagsGzipRps = await cannon('/api/v2/dags', { ...headers, 'accept-encoding': 'gzip, deflate' });
    if (dagsGzipRps.non2xx || dagsGzipRps.errors) throw new Error(`GET /api/v2/dags (gzip) under load: ${dagsGzipRps.non2xx} non-2xx answers, ${dagsGzipRps.errors} errors`);
    if (dagsRps.non2xx || dagsRps.errors) throw new Error(`GET /api/v2/dags under load: ${dagsRps.non2xx} non-2xx answers, ${dagsRps.errors} errors`);
    // The SSE clients and the committing writer in the load generator's process; the baseline's ticks go to the
    // server over IPC (a hop the baseline pays and the real events, committed by another process, do not).
    const host: SseHost = {
      clients: async (sseUrl, count, h) => {
        await loadJob(load, { kind: 'sse-open', url: sseUrl, count, headers: h });
        return () => loadJob(load, { kind: 'sse-close' });
      },
      writer: (h, dagId, count) => loadJob(load, { kind: 'sse-write', home: h, dagId, count }),
    };
    const emitter = new EventEmitter().on('tick', (id: number) => server!.proc.send({ tick: id } satisfies ServerMessage));
    const sse = await benchSseFanout({ base: url, headers, emitter, home, dagId: 'dag_01', host });
    const rssAfter = await serverRss(server);
    server.proc.disconnect();
    await new Promise((r) => (server!.proc.exitCode !== null ? r(null) : server!.proc.once('exit', r)));

    // `dag serve` as users start it, asked the same: the latencies, the DAG list under 32 connections, 200 event
    // streams through 60 commits.
    const serve = await startDagServe(home, DAG_IDS, { WINDSOCK_SECRET_KEY: SECRET_KEY, WINDSOCK_WEB_LOGIN_RATE: '1000', WINDSOCK_ADMIN_PASSWORD: 'bench-admin-password' });
    let serveIdle: number;
    let serveAfter: number;
    try {
      const h = await bearer(serve.url);
      await sleep(1000);
      serveIdle = serve.rssMb();
      await latencies(RUNS_PATH, h, serve.url);
      await latencies(TIS_PATH, h, serve.url);
      const served = await cannon('/api/v2/dags', h, serve.url);
      if (served.non2xx || served.errors) throw new Error(`dag serve: GET /api/v2/dags under load: ${served.non2xx} non-2xx answers, ${served.errors} errors`);
      const closeStreams = await host.clients(serve.url + EVENTS_PATH, 200, h);
      await host.writer(home, 'dag_01', 60);
      await sleep(3000);
      await closeStreams();
      serveAfter = serve.rssMb();
    } finally {
      await serve.stop();
    }

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
      {
        name: `GET /api/v2/dags (${DAGS} DAGs), client accepting gzip, 32 connections for 10 s`, value: dagsGzipRps.requestsPerSec, unit: 'req/s', baseline: constantRps.requestsPerSec,
        baselineName: 'constant JSON route', ratio: dagsGzipRps.requestsPerSec / constantRps.requestsPerSec, target: '>= 0.5x the baseline',
      },
      ...sse,
      { name: 'server process RSS idle', value: rssIdle, unit: 'MB', target: '<= 200 MB' },
      { name: 'server process RSS after the load', value: rssAfter, unit: 'MB', baseline: rssIdle, baselineName: 'idle', ratio: rssAfter / rssIdle, target: '<= 200 MB' },
      { name: '`dag serve` (the CLI, no NODE_OPTIONS) RSS idle', value: serveIdle, unit: 'MB', target: '<= 200 MB' },
      { name: '`dag serve` RSS after the same load', value: serveAfter, unit: 'MB', baseline: serveIdle, baselineName: 'idle', ratio: serveAfter / serveIdle, target: '<= 200 MB' },
      { name: 'load average (1 min) before / after', value: loadBefore, unit: '', baseline: os.loadavg()[0], baselineName: 'after' },
    ];
  } finally {
    load.proc.kill();
    if (server?.proc.connected) server.proc.disconnect();
    if (server) await new Promise((r) => (server!.proc.exitCode !== null ? r(null) : server!.proc.once('exit', r)));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
