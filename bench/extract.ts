// Extract benchmarks (issue 4), each beside a baseline measured in the same run:
// (a) one day of Île-de-France (29 stations, 62 sensors, 64 pages) extracted by openaq.extract and published by
//     lake.load_raw, against the simulator with no limits; median of 3, against plain sequential fetch() of the
//     same URLs. Target < 2 s.
// (b) the same extract with the simulator enforcing 60 requests per window, as the real API does per minute: 429s
//     (target 0) and the total time against the minimum the limit allows (one window for 61..120 requests, since
//     at most 60 may go in any window). A 5-second window always; the real 60-second minute with BENCH_SLOW=1.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OperatorDefinition } from '../engine/operators/api.js';
import { extract, stagingDir, type ExtractSummary } from '../tasks/openaq/extract.js';
import { RawManifest } from '../tasks/openaq/raw-format.js';
import { startSimulator } from '../tasks/openaq/simulator/index.js';
import { runOperator } from '../tests/support/operator-harness.js';
import { median, timeMs, type BenchResult } from './stats.js';

const DS = '2024-04-20';
const LIMIT = 60;

function freshHome(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'windsock-bench-extract-')), 'home');
}

/** Run with OPENAQ_* set for the duration, restored afterwards. */
async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const savedKey = process.env.OPENAQ_API_KEY;
  delete process.env.OPENAQ_API_KEY;
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    if (savedKey !== undefined) process.env.OPENAQ_API_KEY = savedKey;
  }
}

async function loadRawOperator(): Promise<OperatorDefinition | undefined> {
  try {
    const lake = (await import('../tasks/lake/index.js')) as { operators: OperatorDefinition[] };
    return lake.operators.find((o) => o.name === 'lake.load_raw');
  } catch {
    return undefined;
  }
}

async function extractAndPublish(): Promise<BenchResult[]> {
  const sim = await startSimulator({ rateLimitPerMinute: 0 });
  const loadRaw = await loadRawOperator();
  const ours: number[] = [];
  const plain: number[] = [];
  let urls: string[] = [];
  try {
    await withEnv({ OPENAQ_BASE_URL: sim.url, OPENAQ_RATE_LIMIT_PER_MINUTE: '0', OPENAQ_RATE_LIMIT_PER_HOUR: '0' }, async () => {
      for (let i = 0; i < 3; i++) {
        const home = freshHome();
        const opts = { home, dsLocal: DS, dagId: 'openaq', runId: `scheduled__${DS}` };
        const savedLake = process.env.WINDSOCK_LAKE;
        delete process.env.WINDSOCK_LAKE; // the default local lake under this home
        try {
          ours.push(
            await timeMs(async () => {
              await runOperator<ExtractSummary>(extract, {}, { ...opts, taskId: 'extract' });
              if (loadRaw) await runOperator(loadRaw, {}, { ...opts, taskId: 'load_raw' });
            }),
          );
        } finally {
          if (savedLake !== undefined) process.env.WINDSOCK_LAKE = savedLake;
        }
        const manifest = RawManifest.parse(JSON.parse(fs.readFileSync(path.join(stagingDir(home, DS), '_manifest.json'), 'utf8')));
        urls = manifest.pages.map((p) => p.url);
        fs.rmSync(path.dirname(home), { recursive: true, force: true });
      }
    });
    for (let i = 0; i < 3; i++) {
      plain.push(
        await timeMs(async () => {
          for (const u of urls) await (await fetch(u)).arrayBuffer();
        }),
      );
    }
  } finally {
    await sim.close();
  }
  const v = median(ours);
  const b = median(plain);
  return [
    {
      name: `one day of Île-de-France, ${urls.length} pages: extract${loadRaw ? ' + load_raw' : ' only (lake.load_raw not found)'}`,
      value: v,
      unit: 'ms',
      baseline: b,
      baselineName: `${urls.length} sequential fetch() of the same URLs`,
      ratio: v / b,
      target: '< 2,000 ms',
    },
  ];
}

async function underRateLimit(windowMs: number): Promise<BenchResult[]> {
  const sim = await startSimulator({ rateLimitPerMinute: LIMIT, rateWindowMs: windowMs });
  try {
    const home = freshHome();
    const env = { OPENAQ_BASE_URL: sim.url, OPENAQ_RATE_LIMIT_PER_MINUTE: String(LIMIT), OPENAQ_RATE_LIMIT_PER_HOUR: '2000', OPENAQ_RATE_WINDOW_MS: String(windowMs) };
    let summary: ExtractSummary | undefined;
    const ms = await withEnv(env, () =>
      timeMs(async () => {
        summary = (await runOperator<ExtractSummary>(extract, {}, { home, dsLocal: DS })).result;
      }),
    );
    fs.rmSync(path.dirname(home), { recursive: true, force: true });
    const n = sim.stats().requests;
    const minimum = Math.floor((n - 1) / LIMIT) * windowMs;
    const label = windowMs === 60_000 ? 'per minute' : `per ${windowMs / 1000} s window`;
    const worst = Math.max(...sim.stats().perMinute.values());
    return [
      { name: `${n} requests at ${LIMIT} ${label}: 429 answers`, value: sim.stats().status429, unit: '', target: '0' },
      { name: `${n} requests at ${LIMIT} ${label}: busiest server window`, value: worst, unit: 'requests', target: `<= ${LIMIT}` },
      {
        name: `${n} requests at ${LIMIT} ${label}: total time (waited ${summary?.rate_limit_wait_seconds.toFixed(1)} s)`,
        value: ms,
        unit: 'ms',
        baseline: minimum,
        baselineName: 'the minimum the limit allows',
        ratio: ms / minimum,
        target: '<= 1.05x',
      },
    ];
  } finally {
    await sim.close();
  }
}

export async function benchExtract(): Promise<BenchResult[]> {
  const out = await extractAndPublish();
  out.push(...(await underRateLimit(5_000)));
  if (process.env.BENCH_SLOW === '1') out.push(...(await underRateLimit(60_000)));
  return out;
}
