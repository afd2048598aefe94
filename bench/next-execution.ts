// `dag next-execution -n 8760` for an hourly DAG in Europe/Paris (a year of runs through both DST changes),
// against plain cron-parser stepping `.next()` 8,760 times in UTC, measured in the same process. Median of 7.
import { CronExpressionParser } from 'cron-parser';
import { nextExecutions } from '../engine/schedule/index.js';
import type { ScheduleSpec } from '../engine/types.js';
import { median, timeMs, type BenchResult } from './stats.js';

const RUNS = 8760;
const REPEATS = 7;

export async function benchNextExecution(): Promise<BenchResult[]> {
  const hourly: ScheduleSpec = { kind: 'cron', expr: '0 * * * *', source: '@hourly' };
  const start = new Date('2024-01-01T00:00:00Z');
  const restriction = { earliest: start, latest: null, catchup: true };
  const now = new Date('2025-01-01T00:00:00Z');

  let produced = 0;
  const ours = async () => {
    produced = nextExecutions(hourly, 'Europe/Paris', restriction, null, now, RUNS).length;
  };
  const baseline = async () => {
    const it = CronExpressionParser.parse('0 * * * *', { currentDate: start, tz: 'UTC' });
    for (let i = 0; i < RUNS; i++) it.next();
  };
  // One warm-up each so both are measured with the JIT settled.
  await ours();
  await baseline();
  if (produced !== RUNS) throw new Error(`nextExecutions gave ${produced} runs, expected ${RUNS}`);

  const oursMs: number[] = [];
  const baseMs: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    oursMs.push(await timeMs(ours));
    baseMs.push(await timeMs(baseline));
  }
  const value = median(oursMs);
  const base = median(baseMs);
  return [
    {
      name: `nextExecutions, ${RUNS.toLocaleString('en')} hourly runs (Europe/Paris)`,
      value,
      unit: 'ms',
      baseline: base,
      baselineName: `cron-parser .next() x${RUNS.toLocaleString('en')} (UTC)`,
      ratio: value / base,
      target: '< 200 ms',
    },
  ];
}
