// `dag scheduler`: the daemon that keeps the DAGs folder running on schedule (Airflow's `airflow scheduler`).
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('scheduler')
    .description('run the scheduler: create due runs, run their tasks, until Ctrl-C or SIGTERM')
    .option('--tick <ms>', 'milliseconds between scheduling ticks', '1000')
    .action(async (opts: { tick: string }) => {
      const [{ loadAll }, { startSchedulerDaemon, tickFlag }] = await Promise.all([import('../context.js'), import('../scheduler-daemon.js')]);
      const say = (m: string) => process.stderr.write(`${new Date().toISOString()} ${m}\n`);
      const tickMs = tickFlag(opts.tick);
      const l = await loadAll();
      const daemon = await startSchedulerDaemon(l, { tickMs, say });
      const stop = async (sig: string) => {
        say(`${sig}: stopping; running tasks are reset and run again when the scheduler restarts`);
        await daemon.stop();
        l.store.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}
