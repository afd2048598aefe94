// `dag standalone`: the scheduler and the web server in one process, like `airflow standalone`: prints the URL and
// the admin's credentials; Ctrl-C or SIGTERM stops both.
import type { Command } from 'commander';
import { serveOptions, startWebServer, openHome, type ServeFlags } from './serve.js';

export function register(program: Command): void {
  serveOptions(program.command('standalone').description('run the scheduler and the web server together, until Ctrl-C or SIGTERM'))
    .option('--tick <ms>', 'milliseconds between scheduling ticks', '1000')
    .action(async (opts: ServeFlags & { tick: string }) => {
      const [{ loadAll }, { startSchedulerDaemon, tickFlag }, { engineSettings }] = await Promise.all([
        import('../context.js'),
        import('../scheduler-daemon.js'),
        import('../../engine/settings.js'),
      ]);
      const say = (m: string) => process.stderr.write(`${new Date().toISOString()} ${m}\n`);
      const l = await openHome(engineSettings().home, () => loadAll());
      // The scheduler first: a second scheduler on this home is refused before anything listens.
      const daemon = await startSchedulerDaemon(l, { tickMs: tickFlag(opts.tick), say });
      let web;
      try {
        web = await startWebServer({ store: l.store, settings: l.settings, flags: { host: opts.host, port: opts.port }, say });
      } catch (err) {
        await daemon.stop();
        l.store.close();
        throw err;
      }
      let stopping = false;
      const stop = async (sig: string) => {
        if (stopping) return;
        stopping = true;
        say(`${sig}: stopping the web server and the scheduler; running tasks are reset and run again at the next start`);
        await web.close();
        await daemon.stop();
        l.store.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
    });
}
