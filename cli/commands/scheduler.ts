// `dag scheduler`: the daemon that keeps the DAGs folder running on schedule (Airflow's `airflow scheduler`).
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('scheduler')
    .description('run the scheduler: create due runs, run their tasks, until Ctrl-C or SIGTERM')
    .option('--tick <ms>', 'milliseconds between scheduling ticks', '1000')
    .action(async (opts: { tick: string }) => {
      const [{ loadAll }, { startRunner, prepareServices }, { Scheduler, acquireSchedulerJob }, { folderSignature }, { wholeFlag }, { checkDagSettings }, { dagWarningWatcher }] =
        await Promise.all([
          import('../context.js'),
          import('../runner.js'),
          import('../../engine/run/scheduler.js'),
          import('../folder-signature.js'),
          import('../flags.js'),
          import('../settings-check.js'),
          import('../dag-warnings.js'),
        ]);
      const say = (m: string) => process.stderr.write(`${new Date().toISOString()} ${m}\n`);
      const tickMs = wholeFlag('--tick', opts.tick, { min: 10, max: 3_600_000, example: 1000, unit: 'milliseconds' });
      const l = await loadAll();
      checkDagSettings(l.registry, l.dags.values());
      const jobId = acquireSchedulerJob(l.store);
      const stopServices = await prepareServices([...l.dags.values()], say);
      const runner = await startRunner(l, { jobType: 'SchedulerJob', jobId });
      let signature = folderSignature(l.settings.dagsFolder);
      let lastCheck = Date.now();
      const scheduler = new Scheduler({
        store: l.store,
        loop: runner.loop,
        jobId,
        loadDags: () => l.reparse(),
        changed: () => {
          if (Date.now() - lastCheck < 2000) return false; // re-read at most every 2 s
          lastCheck = Date.now();
          const now = folderSignature(l.settings.dagsFolder);
          const changed = now !== signature;
          signature = now;
          return changed;
        },
        tickMs,
        say,
      });
      say(`scheduler started (pid ${process.pid}, DAGs folder ${l.settings.dagsFolder}, state ${l.settings.home})`);
      const checkWarnings = dagWarningWatcher(l.store, say);
      checkWarnings();
      const warningTimer = setInterval(checkWarnings, 2000); // re-parses and `dag pools set` elsewhere update the table
      warningTimer.unref();
      scheduler.start();
      const stop = async (sig: string) => {
        say(`${sig}: stopping; running tasks are reset and run again when the scheduler restarts`);
        clearInterval(warningTimer);
        await scheduler.stop();
        await runner.close('success');
        await stopServices();
        l.store.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}
