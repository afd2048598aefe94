// `npm run bench`: every benchmark, each beside a baseline measured in the same run, printed as ratios.
// BENCH_ONLY=engine,transform runs a subset; BENCH_SLOW=1 adds the minute-long rate-limit benchmark.
import type { BenchResult } from './stats.js';

type Suite = { name: string; load: () => Promise<() => Promise<BenchResult[]>> };

const suites: Suite[] = [
  { name: 'dag-load', load: async () => (await import('./dag-load.js')).benchDagLoad },
  { name: 'next-execution', load: async () => (await import('./next-execution.js')).benchNextExecution },
  { name: 'engine', load: async () => (await import('./engine.js')).benchEngine },
  { name: 'bash', load: async () => (await import('./bash.js')).benchBash },
  { name: 'extract', load: async () => (await import('./extract.js')).benchExtract },
  { name: 'transform', load: async () => (await import('./transform.js')).benchTransform },
  // the web server on 10,000 runs, with the 200-client change events figure of events.ts
  { name: 'web', load: async () => (await import('./web.js')).benchWeb },
  { name: 'ui', load: async () => (await import('./ui.js')).benchUi },
  // the dashboard's Arrow stream and the dashboard in Chromium on a year and on five years of hourly data
  { name: 'dashboard', load: async () => (await import('./dashboard.js')).benchDashboard },
];

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const fmt = (v: number | undefined, unit = '') => (v == null ? '' : `${v >= 100 ? Math.round(v).toLocaleString('en') : v.toFixed(v >= 10 ? 1 : 2)}${unit ? ' ' + unit : ''}`);

let failures = 0;
for (const s of suites) {
  if (only && !only.includes(s.name)) continue;
  process.stdout.write(`\n== ${s.name}\n`);
  try {
    const run = await s.load();
    for (const r of await run()) {
      const base = r.baseline != null ? `  vs ${r.baselineName ?? 'baseline'} ${fmt(r.baseline, r.unit)}` : '';
      const ratio = r.ratio != null ? `  ratio ${r.ratio.toFixed(2)}x` : '';
      process.stdout.write(`${r.name}: ${fmt(r.value, r.unit)}${base}${ratio}${r.target ? `  (target ${r.target})` : ''}\n`);
    }
  } catch (err) {
    failures++;
    process.stdout.write(`  failed: ${(err as Error).stack}\n`);
  }
}
process.exitCode = failures ? 1 : 0;
