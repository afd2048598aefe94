// Runs star.transform once in its own process, so its peak memory is its own: prints {ms, rows, maxRssMb} as JSON.
// argv: <home> <ds> <interval start> <interval end>
import { runOperator } from '../tests/support/operator-harness.js';
import { transformOperator, type TransformResult } from '../tasks/star/transform.js';

const [home, ds, start, end] = process.argv.slice(2) as [string, string, string, string];
const t0 = performance.now();
const run = await runOperator<TransformResult>(transformOperator, {}, { home, dsLocal: ds, dagId: 'openaq', dataIntervalStart: start, dataIntervalEnd: end, logicalDate: start });
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ ms, rows: run.result.rows_in, rowsOut: run.result.rows_out, maxRssMb: process.resourceUsage().maxRSS / 1024, cpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000 }) + '\n');
