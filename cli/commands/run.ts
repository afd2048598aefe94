// `dag run <dag_id> --date D`: one run in the foreground, like `airflow dags test`, but recorded, resumable and
// idempotent. Exit 0 when the run succeeds, 1 when it fails.
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('run <dag_id>')
    .description('run the DAG for one logical date in the foreground (resumes an unfinished run, reruns a finished one)')
    .requiredOption('-d, --date <date>', 'logical date: YYYY-MM-DD (in the DAG time zone) or an ISO 8601 datetime')
    .option('-c, --conf <json>', 'JSON object passed to the run as dag_run.conf')
    .action(async (dagId: string, opts: { date: string; conf?: string }) => {
      const { loadAll, requireRunnableDag, parseConf } = await import('../context.js');
      const conf = parseConf(opts.conf);
      const l = await loadAll();
      const dag = requireRunnableDag(l, dagId);
      const [{ runForDate, runId, checkNotBeforeStart }, { prepareRun }, { withDriverJob }, { startRunner, onInterrupt, prepareServices }, { taskProgress }, { printSummary }] = await Promise.all([
        import('../../engine/schedule/index.js'),
        import('../../engine/run/prepare-run.js'),
        import('../../engine/run/run-ownership.js'),
        import('../runner.js'),
        import('../progress.js'),
        import('../summary.js'),
      ]);
      const info = runForDate(dag.schedule, dag.timezone, opts.date);
      checkNotBeforeStart(dag, info.logicalDate, `--date ${opts.date}`);
      const say = (m: string) => process.stderr.write(m + '\n');
      // The run is claimed for this process's job, atomically: a second `dag run` of the date is refused at once.
      const { jobId, result: { row, action, notes } } = withDriverJob(l.store, 'RunJob', dagId, (driverJobId) => prepareRun(
        l.store,
        dag,
        { runId: runId('backfill', info.logicalDate), logicalDate: info.logicalDate, dataIntervalStart: info.dataInterval.start, dataIntervalEnd: info.dataInterval.end },
        { runType: 'backfill', conf, rerunFinished: true, driverJobId, origin: { triggeredBy: 'cli' } },
      ));
      const progress = taskProgress(dag);
      const runner = await startRunner(l, { jobType: 'RunJob', jobId, dagId, events: progress });
      say(`${action === 'created' ? 'Running' : action === 'resumed' ? 'Resuming' : 'Re-running'} ${dagId} ${row.run_id} (data interval ${row.data_interval_start} to ${row.data_interval_end})`);
      for (const n of notes) say(n);
      const stopServices = await prepareServices([dag], say);
      onInterrupt(runner, say);
      const final = await runner.loop.drive(dag, row.run_id);
      progress.done();
      await runner.close(final.state === 'success' ? 'success' : 'failed');
      await stopServices();
      printSummary(l.store, final);
      l.store.close();
      process.exitCode = final.state === 'success' ? 0 : 1;
    });
}
