// The executor: runs one attempt of a task and reports how it ended. Inline operators (bash, empty) run on this
// thread; TypeScript operators run in a pool of worker threads so that a timeout can really stop them and a crash
// fails only that attempt. Airflow's LocalExecutor, without a process per task.
import { Worker } from 'node:worker_threads';
import type { OperatorDefinition, TaskContext, TaskContextData } from '../operators/api.js';
import { executeOperator, type AttemptOutcome } from './attempt.js';
import type { AttemptLog } from './task-log.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';
import { killGraceMs } from '../operators/bash.js';
import { logger } from '../log.js';

export interface AttemptRequest {
  operator: OperatorDefinition;
  args: Record<string, unknown>;
  ctx: TaskContextData;
  timeoutSec: number | null;
  log: AttemptLog;
  xcomPull(taskId: string, key: string): unknown;
  xcomPush(key: string, value: unknown): void;
}

export interface RunningAttempt {
  done: Promise<AttemptOutcome>;
  /** Stop the attempt (shutdown); it ends as failed. */
  stop(reason: string): void;
}

export interface ExecutorOptions {
  /** URLs of modules exporting `operators`, loaded by every worker thread. */
  plugins: string[];
}

/**
 * Worker threads being started at once. Each start loads the operator plugins; starting one per ready task would
 * spend seconds of both cores on module loading when tasks are short. Tasks wait for a free worker instead, and the
 * pool still grows to `parallelism` while tasks keep every worker busy.
 */
const MAX_STARTING = 2;
/**
 * The pool grows when tasks have waited this long and no worker came free meanwhile, and the attempts are known to
 * hold their workers (they run for a while, or wait on I/O): short tasks turn a few workers over and reuse them, as
 * a new worker costs a core tens of milliseconds of module loading. With no worker free for GROW_ANYWAY_MS it grows
 * whatever the attempts' durations (none measured yet, or a busy runner thread delaying the news of a free one).
 */
const GROW_AFTER_MS = 10;
const GROW_ANYWAY_MS = 100;
/** Attempts shorter than this (measured in the worker) do not hold a worker long enough to need another. */
const SHORT_ATTEMPT_MS = 1;

export class Executor {
  private readonly idle: PooledWorker[] = [];
  private readonly all = new Set<PooledWorker>();
  private readonly waiters: { resolve(w: PooledWorker): void; reject(e: Error): void }[] = [];
  private starting = 0;
  private growTimer: NodeJS.Timeout | undefined;
  private lastRelease = 0;
  /** A moving average of how long attempts ran in their workers; undefined before the first. */
  private attemptMs: number | undefined;
  private nextId = 1;

  constructor(private readonly opts: ExecutorOptions) {}

  run(req: AttemptRequest): RunningAttempt {
    const timeoutMs = req.timeoutSec != null ? req.timeoutSec * 1000 : null;
    // An attempt starts once its log is open, and fails instead when the log cannot be written: a task that
    // "succeeds" with no log to show is worse than one that fails saying why.
    let started: RunningAttempt | undefined;
    let stopped: string | undefined;
    const done = req.log.opened.then((problem): AttemptOutcome | Promise<AttemptOutcome> => {
      if (problem) {
        logger.error({ dagId: req.ctx.dagId, taskId: req.ctx.taskId, runId: req.ctx.runId }, problem);
        return { outcome: 'failed', error: problem };
      }
      if (stopped !== undefined) return { outcome: 'failed', error: stopped };
      started = req.operator.inline ? this.runInline(req, timeoutMs) : this.runInWorker(req, timeoutMs);
      return started.done.then((r) => {
        const broken = req.log.problem();
        return broken && r.outcome === 'success' ? { outcome: 'failed', error: broken } : r;
      });
    });
    return { done, stop: (reason) => (started ? started.stop(reason) : void (stopped = reason)) };
  }

  private runInline(req: AttemptRequest, timeoutMs: number | null): RunningAttempt {
    const controller = new AbortController();
    let timedOut = false;
    const timer = timeoutMs != null ? setTimeout(() => ((timedOut = true), controller.abort()), timeoutMs) : undefined;
    const ctx: TaskContext = {
      ...req.ctx,
      log: req.log,
      signal: controller.signal,
      xcomPull: async (taskId, key = 'return_value') => req.xcomPull(taskId, key),
      xcomPush: async (key, value) => req.xcomPush(key, value),
    };
    const done = executeOperator(req.operator, req.args, ctx).then((r) => {
      if (timer) clearTimeout(timer);
      return timedOut ? timeoutOutcome(req, timeoutMs!) : r;
    });
    return { done, stop: () => controller.abort() };
  }

  private runInWorker(req: AttemptRequest, timeoutMs: number | null): RunningAttempt {
    const id = this.nextId++;
    let finish!: (o: AttemptOutcome) => void;
    const done = new Promise<AttemptOutcome>((resolve) => (finish = resolve));
    let settled = false;
    let worker: PooledWorker | undefined;
    let timer: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const settle = (o: AttemptOutcome, recycle: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      if (worker) {
        worker.current = undefined;
        if (recycle) this.release(worker);
        else this.discard(worker);
      }
      finish(o);
    };
    // Ask nicely through the AbortSignal; terminate the thread if it has not returned after the grace period.
    const stop = (outcome: AttemptOutcome) => {
      if (settled) return;
      if (!worker) return settle(outcome, false); // still waiting for a worker: it never starts
      worker.worker.postMessage({ type: 'abort', id } satisfies ToWorker);
      killTimer = setTimeout(() => {
        req.log.error('the attempt did not stop within the grace period: terminating its worker thread');
        settle(outcome, false);
      }, killGraceMs());
      worker.onDone = () => settle(outcome, true);
    };
    this.acquire().then(
      (w) => {
        if (settled) return this.release(w); // stopped while it waited
        worker = w;
        w.current = {
          id,
          req,
          onCrash: (msg) => settle({ outcome: 'failed', error: msg }, false),
        };
        w.onDone = (o) => settle(o, true);
        if (timeoutMs != null) timer = setTimeout(() => stop(timeoutOutcome(req, timeoutMs)), timeoutMs);
        w.worker.postMessage({ type: 'run', id, operator: req.operator.name, args: req.args, ctx: req.ctx } satisfies ToWorker);
      },
      (err: Error) => settle({ outcome: 'failed', error: `could not start a worker thread: ${err.message}` }, false),
    );
    return { done, stop: (reason) => stop({ outcome: 'failed', error: reason }) };
  }

  private acquire(): Promise<PooledWorker> {
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (this.all.size === 0) this.grow();
      else this.growSoon();
    });
  }

  /** Grow after GROW_AFTER_MS unless busy workers keep coming free (then look again later). */
  private growSoon(): void {
    this.growTimer ??= setTimeout(() => {
      this.growTimer = undefined;
      if (!this.waiters.length) return;
      const quiet = performance.now() - this.lastRelease;
      const holding = this.attemptMs !== undefined && this.attemptMs >= SHORT_ATTEMPT_MS;
      if (quiet >= GROW_ANYWAY_MS || (quiet >= GROW_AFTER_MS && holding)) this.grow();
      else this.growSoon();
    }, GROW_AFTER_MS);
  }

  /** Start workers while tasks wait for one and fewer than MAX_STARTING are starting. */
  private grow(): void {
    while (this.waiters.length > this.starting && this.starting < MAX_STARTING) {
      this.starting++;
      this.spawn().then(
        (w) => {
          this.starting--;
          this.release(w);
          if (this.waiters.length) this.growSoon();
        },
        (err: Error) => {
          this.starting--;
          this.waiters.shift()?.reject(err);
          this.grow();
        },
      );
    }
  }

  private spawn(): Promise<PooledWorker> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./worker-main.js', import.meta.url), {
        workerData: { plugins: this.opts.plugins } satisfies WorkerInit,
        stdout: false,
        stderr: false,
      });
      const pooled: PooledWorker = { worker, onDone: () => {} };
      this.all.add(pooled);
      let ready = false;
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          ready = true;
          resolve(pooled);
          return;
        }
        this.onMessage(pooled, m);
      });
      worker.on('error', (err) => {
        if (!ready) reject(err);
        pooled.current?.onCrash(`the task crashed its worker thread: ${err.message}`);
      });
      worker.on('exit', (code) => {
        this.all.delete(pooled);
        const i = this.idle.indexOf(pooled);
        if (i >= 0) this.idle.splice(i, 1);
        if (!ready) reject(new Error(`worker exited with code ${code} while loading operators`));
        pooled.current?.onCrash(`the task ended its worker thread (exit code ${code})`);
        this.grow(); // a waiting task may need a replacement
      });
    });
  }

  private onMessage(w: PooledWorker, m: FromWorker): void {
    const cur = w.current;
    if (!cur || !('id' in m) || m.id !== cur.id) return;
    switch (m.type) {
      case 'log':
        cur.req.log.write(m.level, m.msg, m.fields);
        break;
      case 'xcom-pull':
        w.worker.postMessage({ type: 'xcom-result', reqId: m.reqId, value: cur.req.xcomPull(m.taskId, m.key) } satisfies ToWorker);
        break;
      case 'xcom-push':
        cur.req.xcomPush(m.key, m.value);
        w.worker.postMessage({ type: 'xcom-result', reqId: m.reqId, value: null } satisfies ToWorker);
        break;
      case 'done':
        this.attemptMs = this.attemptMs === undefined ? m.ms : 0.9 * this.attemptMs + 0.1 * m.ms;
        w.onDone({ outcome: m.outcome, noRetry: m.noRetry, value: m.value, error: m.error });
        break;
    }
  }

  /** A free worker goes to the task that has waited longest, else back to the pool. */
  private release(w: PooledWorker): void {
    if (!this.all.has(w)) return;
    this.lastRelease = performance.now();
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(w);
    else this.idle.push(w);
  }

  private discard(w: PooledWorker): void {
    this.all.delete(w);
    w.current = undefined;
    void w.worker.terminate();
  }

  /** Stop every worker thread (attempts still running end as failed). */
  async close(): Promise<void> {
    const workers = [...this.all];
    this.all.clear();
    clearTimeout(this.growTimer);
    for (const w of this.waiters.splice(0)) w.reject(new Error('the executor is shutting down'));
    this.idle.length = 0;
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}

interface PooledWorker {
  worker: Worker;
  current?: { id: number; req: AttemptRequest; onCrash(msg: string): void };
  onDone(o: AttemptOutcome): void;
}

function timeoutOutcome(req: AttemptRequest, timeoutMs: number): AttemptOutcome {
  const msg = `Timeout: the attempt ran longer than execution_timeout (${timeoutMs / 1000} s) and was stopped`;
  req.log.error(msg);
  return { outcome: 'failed', error: msg };
}
