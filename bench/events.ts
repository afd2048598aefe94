// Change events measurement (issue 9), used by bench/web.ts on the full web app: 200 SSE clients on
// `GET /api/windsock/events`, commit-to-receive latency, p50 and p99 (target p99 <= 250 ms), beside a baseline measured
// in the same run: the same server, the same 200 clients, on a constant SSE route that pushes an event the moment it
// is told to (the floor set by HTTP, the fan-out and the clients themselves). The commits come from a worker thread
// with its own connection, as a scheduler's would from its own process; the clients read in another worker, so
// neither shares the server's event loop.
import { EventEmitter } from 'node:events';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { Store } from '../engine/state/store.js';
import { EVENTS_PATH } from '../ui/server/events.js';
import { percentile, type BenchResult } from './stats.js';

const CLIENTS = 200;
const EVENTS = 60;
/** The first events of each phase warm up connections and the JIT, and are not counted. */
const WARMUP = 5;
const now = () => performance.timeOrigin + performance.now();

type Role = { role: 'clients'; url: string; count: number; headers: Record<string, string> } | { role: 'writer'; home: string; dagId: string; count: number };

/** Worker: `count` SSE connections; on 'stop', posts every (id, receive time) seen, per client. */
async function clientsWorker(url: string, count: number, headers: Record<string, string>): Promise<void> {
  const abort = new AbortController();
  const seen: [number, number][][] = Array.from({ length: count }, () => []);
  let open = 0;
  const readers = seen.map(async (mine) => {
    const res = await fetch(url, { signal: abort.signal, headers });
    if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
    const decoder = new TextDecoder();
    let buf = '';
    let counted = false;
    try {
      for await (const chunk of res.body!) {
        const t = now();
        if (!counted) {
          counted = true;
          if (++open === count) parentPort!.postMessage('ready');
        }
        buf += decoder.decode(chunk as Uint8Array, { stream: true });
        let end;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const id = /^id: (\d+)$/m.exec(buf.slice(0, end));
          if (id) mine.push([Number(id[1]), t]);
          buf = buf.slice(end + 2);
        }
      }
    } catch (err) {
      if ((err as Error).name !== 'AbortError') throw err;
    }
  });
  parentPort!.once('message', async () => {
    abort.abort();
    await Promise.allSettled(readers);
    parentPort!.postMessage(seen);
  });
}

/** Worker: `count` commits that each write one change, at uneven intervals; posts (change id, commit time) pairs. */
async function writerWorker(home: string, dagId: string, count: number): Promise<void> {
  const store = Store.open(home);
  const sent: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
    const id = store.tx(() => {
      store.dags.setPaused(dagId, i % 2 === 0);
      return store.changes.latestId();
    });
    sent.push([id, now()]);
  }
  store.close();
  parentPort!.postMessage(sent);
}

if (!isMainThread && (workerData as Role | undefined)?.role) {
  const w = workerData as Role;
  if (w.role === 'clients') void clientsWorker(w.url, w.count, w.headers);
  else void writerWorker(w.home, w.dagId, w.count);
}

function startWorker(data: Role): { worker: Worker; next: <T>() => Promise<T> } {
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: data });
  worker.on('error', (err) => {
    throw err;
  });
  return { worker, next: <T>() => new Promise<T>((resolve) => worker.once('message', resolve)) };
}

/** Where the SSE clients and the committing writer run: worker threads of this process by default. */
export interface SseHost {
  /** Open `count` streams; resolves once all are connected, with a function that closes them and gives what each saw. */
  clients(url: string, count: number, headers: Record<string, string>): Promise<() => Promise<[number, number][][]>>;
  /** `count` commits that each write one change to the DAG `dagId`; (change id, commit time) pairs. */
  writer(home: string, dagId: string, count: number): Promise<[number, number][]>;
}

export const inProcessHost: SseHost = {
  async clients(url, count, headers) {
    const clients = startWorker({ role: 'clients', url, count, headers });
    await clients.next<'ready'>();
    return async () => {
      clients.worker.postMessage('stop');
      const seen = await clients.next<[number, number][][]>();
      await clients.worker.terminate();
      return seen;
    };
  },
  async writer(home, dagId, count) {
    const writer = startWorker({ role: 'writer', home, dagId, count });
    const sent = await writer.next<[number, number][]>();
    await writer.worker.terminate();
    return sent;
  },
};

/** Latencies (ms) of every client for every event: receive time minus the time it was committed or sent. */
async function measure(host: SseHost, url: string, headers: Record<string, string>, fire: () => Promise<[number, number][]>): Promise<number[]> {
  const stop = await host.clients(url, CLIENTS, headers);
  const sent = new Map((await fire()).slice(WARMUP));
  // Let the last events arrive: 200 clients drain slowly on a loaded machine, and a late event is not a lost one.
  await new Promise((r) => setTimeout(r, 3000));
  const seen = await stop();
  const out: number[] = [];
  for (const client of seen) {
    const got = new Map(client);
    for (const [id, t] of sent) {
      const at = got.get(id);
      if (at === undefined) throw new Error(`a client missed event ${id}`);
      out.push(at - t);
    }
  }
  return out;
}

export const SSE_BASELINE_PATH = '/bench/constant-sse';

/** The baseline route on `app`: an SSE stream that sends an event whenever `emitter` ticks. */
export function mountConstantSse(app: Hono<any>, emitter: EventEmitter): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  emitter.setMaxListeners(0);
  app.get(SSE_BASELINE_PATH, (c) =>
    streamSSE(c, async (stream) => {
      const send = (id: number) => void stream.write(`id: ${id}\nevent: constant\ndata: {}\n\n`);
      emitter.on('tick', send);
      await stream.write(': connected\n\n');
      await new Promise<void>((resolve) => stream.onAbort(resolve));
      emitter.off('tick', send);
    }),
  );
}

export interface SseBench {
  /** The server's root URL; it serves EVENTS_PATH and SSE_BASELINE_PATH (mounted with `emitter`). */
  base: string;
  /** What the event stream needs to let the clients in (Authorization). */
  headers: Record<string, string>;
  emitter: EventEmitter;
  /** The state database the server's change feed follows, and a DAG in it to pause and unpause. */
  home: string;
  dagId: string;
  host?: SseHost;
}

export async function benchSseFanout(o: SseBench): Promise<BenchResult[]> {
  const host = o.host ?? inProcessHost;
  const baseline = await measure(host, `${o.base}${SSE_BASELINE_PATH}`, {}, async () => {
    const sent: [number, number][] = [];
    for (let i = 1; i <= EVENTS; i++) {
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
      sent.push([i, now()]);
      o.emitter.emit('tick', i);
    }
    return sent;
  });
  const ours = await measure(host, `${o.base}${EVENTS_PATH}`, o.headers, () => host.writer(o.home, o.dagId, EVENTS));
  const row = (p: number): BenchResult => {
    const v = percentile(ours, p);
    const b = percentile(baseline, p);
    return {
      name: `change to ${CLIENTS} SSE clients, commit in another thread to receive, p${p}`,
      value: v,
      unit: 'ms',
      baseline: b,
      baselineName: 'constant SSE route',
      ratio: v / b,
      target: p === 99 ? '<= 250 ms' : undefined,
    };
  };
  return [row(50), row(99)];
}
