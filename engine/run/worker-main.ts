// A worker thread that runs TypeScript operators, one attempt at a time. The runner terminates it when an attempt
// overstays its timeout (an operator spinning forever never sees its AbortSignal), and a process.exit() here ends
// only this thread.
import { parentPort, workerData } from 'node:worker_threads';
import { format } from 'node:util';
import { OperatorRegistry } from '../operators/registry.js';
import { builtinOperators } from '../operators/builtin.js';
import type { OperatorPlugin, TaskContext } from '../operators/api.js';
import { executeOperator } from './attempt.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';

const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);
const registry = new OperatorRegistry().registerAll(builtinOperators);
const aborts = new Map<number, AbortController>();
const pending = new Map<number, (v: unknown) => void>();
let nextReq = 1;
/** The attempt this worker is running: what an operator prints goes to its log, as Airflow captures task output. */
let current: number | undefined;

for (const [method, level] of [['log', 'info'], ['info', 'info'], ['debug', 'debug'], ['warn', 'warn'], ['error', 'error']] as const) {
  const original = console[method].bind(console);
  console[method] = (...a: unknown[]) => (current === undefined ? original(...a) : send({ type: 'log', id: current, level, msg: format(...a) }));
}

async function init(): Promise<void> {
  for (const url of (workerData as WorkerInit).plugins) {
    const mod = (await import(url)) as OperatorPlugin;
    registry.registerAll(mod.operators);
  }
  send({ type: 'ready' });
}

function request(m: Omit<Extract<FromWorker, { type: 'xcom-pull' }>, 'reqId'> | Omit<Extract<FromWorker, { type: 'xcom-push' }>, 'reqId'>) {
  const reqId = nextReq++;
  return new Promise<unknown>((resolve) => {
    pending.set(reqId, resolve);
    send({ ...m, reqId } as FromWorker);
  });
}

port.on('message', async (m: ToWorker) => {
  if (m.type === 'xcom-result') {
    pending.get(m.reqId)?.(m.value);
    pending.delete(m.reqId);
    return;
  }
  if (m.type === 'abort') {
    aborts.get(m.id)?.abort(new Error('attempt stopped'));
    return;
  }
  const op = registry.resolve(m.operator);
  if (!op) {
    send({ type: 'done', id: m.id, ms: 0, outcome: 'failed', error: `operator '${m.operator}' is not registered in the worker` });
    return;
  }
  const controller = new AbortController();
  aborts.set(m.id, controller);
  const log = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) =>
    send({ type: 'log', id: m.id, level, msg, fields });
  const ctx: TaskContext = {
    ...m.ctx,
    log: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    signal: controller.signal,
    xcomPull: (taskId, key = 'return_value') => request({ type: 'xcom-pull', id: m.id, taskId, key }),
    xcomPush: async (key, value) => {
      await request({ type: 'xcom-push', id: m.id, key, value });
    },
  };
  current = m.id;
  const t0 = performance.now();
  const result = await executeOperator(op, m.args, ctx);
  current = undefined;
  aborts.delete(m.id);
  send({ type: 'done', id: m.id, ms: performance.now() - t0, ...result });
});

init().catch((err) => {
  console.error(`windsock worker: could not load operator plugins: ${(err as Error).stack}`);
  process.exit(1);
});
