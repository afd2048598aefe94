// The summary printed when a run ends: one row per task with its state, tries and duration, then why each failed
// task failed (its error and the path of its attempt log).
import type { Store } from '../engine/state/store.js';
import type { DagRunRow } from '../engine/state/rows.js';
import { engineSettings } from '../engine/settings.js';
import { formatDuration } from './progress.js';
import { failedTaskLines } from './failure-reasons.js';

export function printSummary(store: Store, run: DagRunRow, out: NodeJS.WriteStream = process.stdout, home = engineSettings().home): void {
  const tis = store.tis.forRun(run.dag_id, run.run_id);
  const w = Math.max(4, ...tis.map((t) => t.task_id.length));
  out.write(`\n${'task'.padEnd(w)}  ${'state'.padEnd(15)}  tries  duration\n`);
  for (const t of tis) {
    out.write(`${t.task_id.padEnd(w)}  ${(t.state ?? 'none').padEnd(15)}  ${String(t.try_number).padStart(5)}  ${formatDuration(t.duration)}\n`);
  }
  const failures = failedTaskLines(store, home, run);
  if (failures.length) out.write(`\n${failures.join('\n')}\n`);
  const secs = run.start_date && run.end_date ? (Date.parse(run.end_date) - Date.parse(run.start_date)) / 1000 : null;
  out.write(`\nDAG run ${run.run_id} of ${run.dag_id}: ${run.state}${secs != null ? ` in ${formatDuration(secs)}` : ''}\n`);
}
