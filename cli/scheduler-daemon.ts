// The scheduler daemon's wiring, shared by `dag scheduler` and `dag standalone`: the scheduler job (one per state
// database), the services the DAGs need, a runner, and a Scheduler that re-reads the DAGs folder when it changes.
import type { Loaded } from './context.js';
import { wholeFlag } from './flags.js';

/** `--tick`: milliseconds between scheduling ticks, checked when the command starts. */
export function tickFlag(raw: string): number {
  return wholeFlag('--tick', raw, { min: 10, max: 3_600_000, example: 1000, unit: 'milliseconds' });
}

export interface SchedulerDaemon {
  /** Stop ticking, stop and reset running attempts, end the job. The store stays open. */
  stop(): Promise<void>;
}

export async function startSchedulerDaemon(l: Loaded, o: { tickMs: number; say: (m: string) => void }): Promise<SchedulerDaemon> {
  const [{ startRunner, prepareServices }, { Scheduler, acquireSchedulerJob }, { folderSignature }, { checkDagSettings }, { dagWarningWatcher }] = await Promise.all([
    import('./runner.js'),
    import('../engine/run/scheduler.js'),
    import('./folder-signature.js'),
    import('./settings-check.js'),
    import('./dag-warnings.js'),
  ]);
  checkDagSettings(l.registry, l.dags.values());
  const jobId = acquireSchedulerJob(l.store);
  const stopServices = await prepareServices([...l.dags.values()], o.say);
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
    tickMs: o.tickMs,
    say: o.say,
  });
  o.say(`scheduler started (pid ${process.pid}, DAGs folder ${l.settings.dagsFolder}, state ${l.settings.home})`);
  const checkWarnings = dagWarningWatcher(l.store, o.say);
  checkWarnings();
  const warningTimer = setInterval(checkWarnings, 2000); // re-parses and `dag pools set` elsewhere update the table
  warningTimer.unref();
  scheduler.start();
  return {
    async stop() {
      clearInterval(warningTimer);
      await scheduler.stop();
      await runner.close('success');
      await stopServices();
    },
  };
}
