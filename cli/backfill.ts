// The backfill driver: plan the runs, prepare each (create, resume or leave finished ones alone), drive up to
// max_active_runs at once through one run loop, and report progress.
import type { Loaded } from './context.js';
import type { DagSpec } from '../engine/types.js';
import { UserError } from '../engine/types.js';
import { parseRunDate, runId, toAirflowIso } from '../engine/schedule/index.js';
import { prepareRun, checkPools } from '../engine/run/prepare-run.js';
import { withDriverJob } from '../engine/run/run-ownership.js';
import { backfillRange, completeFinishedBackfills } from '../engine/service/backfill.js';
import type { DagRunRow } from '../engine/state/rows.js';
import { startRunner, onInterrupt, prepareServices } from './runner.js';
import { BackfillProgress } from './backfill-progress.js';
import { wholeFlag } from './flags.js';
import { failedTaskLines } from './failure-reasons.js';

export interface BackfillOptions {
  from: string;
  to: string;
  maxActiveRuns?: string;
  rerunFailed?: boolean;
  dryRun?: boolean;
  conf: Record<string, unknown>;
}

export async function backfill(l: Loaded, dag: DagSpec, o: BackfillOptions): Promise<number> {
  const from = parseRunDate(o.from, dag.timezone, '--from');
  const to = parseRunDate(o.to, dag.timezone, '--to');
  const { infos, tooMany } = backfillRange(dag, from, to, { from: `--from ${o.from}`, to: `--to ${o.to}` });
  const maxActive = o.maxActiveRuns != null ? wholeFlag('--max-active-runs', o.maxActiveRuns, { min: 1, example: 4 }) : dag.maxActiveRuns;
  checkPools(l.store, dag);
  if (o.dryRun) {
    for (const i of infos) process.stdout.write(`${runId('backfill', i.logicalDate)}  ${toAirflowIso(i.dataInterval.start)} -> ${toAirflowIso(i.dataInterval.end)}\n`);
    if (tooMany) throw new UserError(`${tooMany} (the first ${infos.length} are listed above)`);
    process.stdout.write(`${infos.length} run(s) would be backfilled (dry run)\n`);
    return 0;
  }
  if (tooMany) throw new UserError(tooMany);
  const say = (m: string) => process.stderr.write(m + '\n');
  const progress = new BackfillProgress(dag.tasks.length, infos.length);
  const pending: DagRunRow[] = [];
  const failed: DagRunRow[] = [];
  // Every run of the range is claimed for this backfill in one transaction: if another process drives one of them,
  // nothing is claimed and the backfill stops at once, naming it.
  // The backfill's row is written in the same transaction, so /api/v2/backfills shows it (and refuses a second
  // backfill of the DAG) while this one runs.
  const { jobId, result: { backfillId, prepared } } = withDriverJob(l.store, 'BackfillJob', dag.dagId, (driverJobId) => {
    const b = l.store.backfills.create({ dagId: dag.dagId, from, to, conf: o.conf, reprocessBehavior: o.rerunFailed ? 'failed' : 'none', maxActiveRuns: maxActive, user: process.env.USER ?? null });
    const runs = infos.map((info) => prepareRun(
      l.store,
      dag,
      { runId: runId('backfill', info.logicalDate), logicalDate: info.logicalDate, dataIntervalStart: info.dataInterval.start, dataIntervalEnd: info.dataInterval.end },
      { runType: 'backfill', conf: o.conf, rerunFinished: false, rerunFailedOnly: o.rerunFailed, driverJobId },
    ));
    for (const p of runs) if (p.action !== 'unchanged') l.store.backfills.attach(dag.dagId, p.row.run_id, b.id);
    completeFinishedBackfills(l.store); // an earlier backfill killed mid-way whose runs this one took over
    return { backfillId: b.id, prepared: runs };
  });
  const runner = await startRunner(l, { jobType: 'BackfillJob', jobId, dagId: dag.dagId, events: progress.events() });
  for (const { row, action, notes } of prepared) {
    for (const n of notes) say(n);
    if (action === 'unchanged') {
      progress.runDone(row.state === 'success', dag.tasks.length);
      if (row.state === 'failed') failed.push(row);
    } else pending.push(row);
  }
  const stopServices = await prepareServices([dag], say);
  onInterrupt(runner, say);
  // Drive up to maxActive runs at once; the run loop interleaves their tasks within its own limits.
  let next = 0;
  const worker = async () => {
    while (next < pending.length) {
      const row = pending[next++];
      const final = await runner.loop.drive(dag, row.run_id);
      progress.runDone(final.state === 'success', 0);
      if (final.state !== 'success') failed.push(final);
    }
  };
  await Promise.all(Array.from({ length: Math.min(maxActive, pending.length) }, worker));
  progress.finish();
  l.store.backfills.complete(backfillId);
  await runner.close(failed.length ? 'failed' : 'success');
  await stopServices();
  const ok = infos.length - failed.length;
  process.stdout.write(`Backfill of ${dag.dagId} from ${o.from} to ${o.to}: ${ok} of ${infos.length} run(s) succeeded\n`);
  if (failed.length) {
    const lines = failed.flatMap((r) => [`  ${r.run_id}`, ...failedTaskLines(l.store, l.settings.home, r).map((f) => `    ${f}`)]);
    process.stdout.write(`Failed runs:\n${lines.join('\n')}\nRe-run them with: dag backfill ${dag.dagId} --from ${o.from} --to ${o.to} --rerun-failed\n`);
  }
  return failed.length;
}
