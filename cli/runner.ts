// Wires the engine's run loop for a foreground command (`dag run`, `dag backfill`, `dag tasks test`): an executor
// with the pipeline's operator plugins, a job row with a heartbeat, and a clean stop on Ctrl-C / SIGTERM.
import type { Loaded } from './context.js';
import type { RunLoop, RunLoopEvents } from '../engine/run/run-loop.js';
import type { Executor } from '../engine/run/executor.js';
import type { JobType } from '../engine/state/jobs.js';
import type { DagSpec } from '../engine/types.js';
import { PLUGIN_URLS } from './plugins.js';

export interface Runner {
  loop: RunLoop;
  executor: Executor;
  jobId: number;
  /** Stop everything; `failed` marks the job failed. */
  close(state?: 'success' | 'failed'): Promise<void>;
}

export interface RunnerOptions {
  jobType: JobType;
  dagId?: string | null;
  /** Use a job row registered already (the scheduler registers itself under a lock). */
  jobId?: number;
  events?: RunLoopEvents;
  echoLog?: (line: string) => void;
}

export async function startRunner(l: Loaded, o: RunnerOptions): Promise<Runner> {
  const [{ RunLoop }, { Executor }] = await Promise.all([import('../engine/run/run-loop.js'), import('../engine/run/executor.js')]);
  const executor = new Executor({ plugins: PLUGIN_URLS });
  const jobId = o.jobId ?? l.store.jobs.start(o.jobType, o.dagId ?? null);
  const { events, echoLog } = o;
  const loop = new RunLoop({
    store: l.store,
    executor,
    registry: l.registry,
    home: l.settings.home,
    parallelism: l.settings.parallelism,
    jobId,
    events,
    echoLog,
  });
  const beat = setInterval(() => {
    l.store.jobs.heartbeat(jobId);
    l.store.tis.heartbeat(jobId);
  }, l.settings.heartbeatMs);
  beat.unref();
  let closed = false;
  const close = async (state: 'success' | 'failed' = 'success') => {
    if (closed) return;
    closed = true;
    clearInterval(beat);
    await loop.stop();
    await executor.close();
    l.store.jobs.end(jobId, state);
  };
  return { loop, executor, jobId, close };
}

/** On Ctrl-C or SIGTERM: stop attempts, reset them for the next invocation, and exit with 128 + signal. */
export function onInterrupt(runner: Runner, say: (msg: string) => void): void {
  const handler = (sig: NodeJS.Signals) => {
    say(`\n${sig}: stopping; running tasks are reset and will run again on the next invocation`);
    void runner.close('failed').finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

/** When the DAG uses OpenAQ operators and no key is set, start the built-in simulator and say so. */
export async function prepareServices(dags: DagSpec[], say: (msg: string) => void): Promise<() => Promise<void>> {
  if (!dags.some((d) => d.tasks.some((t) => t.operator.startsWith('openaq.')))) return async () => {};
  const { ensureOpenAQ } = await import('../tasks/openaq/ensure.js');
  const svc = await ensureOpenAQ();
  if (svc.simulated) say(`OPENAQ_API_KEY is not set: using the built-in OpenAQ simulator at ${svc.baseUrl} (offline, simulated data)`);
  return () => svc.close();
}
