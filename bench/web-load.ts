// The web benchmark's load generator, forked by bench/web.ts so that the clients neither share the server's event loop
// nor count in its memory. Asked over IPC for one job at a time: sequential latencies of one URL over a kept-alive
// connection, an autocannon run, the SSE clients and writer of bench/events.ts, or building the state database;
// answers with the figures.
import http from 'node:http';
import autocannon from 'autocannon';
import { inProcessHost } from './events.js';
import { buildStateDb } from './web-state.js';

export type LoadJob =
  | { kind: 'latency'; url: string; headers: Record<string, string>; count: number; warmup: number }
  | { kind: 'cannon'; url: string; headers: Record<string, string>; connections: number; durationSec: number }
  | { kind: 'sse-open'; url: string; headers: Record<string, string>; count: number }
  | { kind: 'sse-close' }
  | { kind: 'sse-write'; home: string; dagId: string; count: number }
  | { kind: 'build'; home: string };

export interface CannonFigures {
  requestsPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function once(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const req = http.get(url, { agent, headers }, (res) => {
      res.on('data', () => {});
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`GET ${url} answered ${res.statusCode}`));
        else resolve(Number(process.hrtime.bigint() - t) / 1e6);
      });
    });
    req.on('error', reject);
  });
}

async function latency(job: Extract<LoadJob, { kind: 'latency' }>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < job.warmup + job.count; i++) {
    const ms = await once(job.url, job.headers);
    if (i >= job.warmup) out.push(ms);
  }
  return out;
}

async function cannon(job: Extract<LoadJob, { kind: 'cannon' }>): Promise<CannonFigures> {
  const r = await autocannon({ url: job.url, headers: job.headers, connections: job.connections, duration: job.durationSec });
  return { requestsPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

let closeSse: (() => Promise<[number, number][][]>) | null = null;

async function perform(job: LoadJob): Promise<unknown> {
  switch (job.kind) {
    case 'latency':
      return latency(job);
    case 'cannon':
      return cannon(job);
    case 'sse-open':
      closeSse = await inProcessHost.clients(job.url, job.count, job.headers);
      return null;
    case 'sse-close': {
      const seen = await closeSse!();
      closeSse = null;
      return seen;
    }
    case 'sse-write':
      return inProcessHost.writer(job.home, job.dagId, job.count);
    case 'build':
      return buildStateDb(job.home);
  }
}

process.on('message', async (job: LoadJob) => {
  try {
    const result = await perform(job);
    process.send!({ ok: true, result });
  } catch (err) {
    process.send!({ ok: false, error: (err as Error).message });
  }
});
