// Wires the engine's run loop for a foreground command (`dag run`, `dag backfill`, `dag tasks test`): an executor
// with the pipeline's operator plugins, a job row with a heartbeat, and a clean stop on Ctrl-C / SIGTERM.
import type { Loaded } from './context.js';
import type { RunLoop, RunLoopEvents } from '../engine/run/run-loop.js';
import type { Executor } from '../engine/run/executor.js';
import type { JobType } from '../engine/state/jobs.js';
import type { DagSpec } from '../engine/types.js';
import { pluginUrls } from './plugins.js';
import { exitWithError } from './report-error.js';
import { StateDbError } from '../engine/state/db-errors.js';
import { bashOperator } from '../engine/operators/bash.js';
import { startSpawner } from '../engine/spawner/client.js';

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
  const executor = new Executor({ plugins: pluginUrls() });
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
  let closed = false;
  const close = async (state: 'success' | 'failed' = 'success') => {
    if (closed) return;
    closed = true;
    clearInterval(beat);
    unsubscribe();
    try {
      await loop.stop();
    } finally {
      await executor.close();
    }
    l.store.jobs.end(jobId, state);
  };
  // The state database can no longer record anything (disk full, read-only, damaged): stop the attempts and end the
  // command with one line. What was committed stays; the job's process is gone, so the next command resumes the run.
  let ending = false;
  const endCommand = (err: unknown) => {
    if (ending) return;
    ending = true;
    const stopped = close('failed').catch(() => undefined); // its writes fail too: the attempts stop all the same
    const grace = new Promise((r) => setTimeout(r, 15_000));
    void Promise.race([stopped, grace]).then(() => exitWithError(err));
  };
  const unsubscribe = l.store.onStorageFailure(endCommand);
  const beat = setInterval(() => {
    try {
      l.store.jobs.heartbeat(jobId);
      l.store.tis.heartbeat(jobId);
    } catch (err) {
      const e = l.store.storageFailure(err);
      if (e instanceof StateDbError && !e.fatal) return; // busy for a moment: the next beat will do
      endCommand(e); // a timer has no caller to throw to
    }
  }, l.settings.heartbeatMs);
  beat.unref();
  return { loop, executor, jobId, close };
}

/** On Ctrl-C or SIGTERM: stop attempts, reset them for the next invocation, and exit with 128 + signal. */
export function onInterrupt(runner: Runner, say: (msg: string) => void): void {
  const handler = (sig: NodeJS.Signals) => {
    say(`\n${sig}: stopping; running tasks are reset and will run again on the next invocation (or in the scheduler, which adopts the run)`);
    void runner.close('failed').finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

const BASH_NAMES: ReadonlySet<string> = new Set([bashOperator.name, ...(bashOperator.aliases ?? [])]);

/**
 * What the DAGs about to run need before their first attempt: the bash spawner when they have bash tasks (its Node
 * start-up would otherwise be spent inside the first task's execution_timeout), and, when they use OpenAQ operators
 * and no key is set, the built-in simulator, said so.
 */
export async function prepareServices(dags: DagSpec[], say: (msg: string) => void): Promise<() => Promise<void>> {
  const uses = (test: (operator: string) => boolean) => dags.some((d) => d.tasks.some((t) => test(t.operator)));
  if (uses((op) => BASH_NAMES.has(op))) startSpawner();
  if (!uses((op) => op.startsWith('openaq.'))) return async () => {};
  const { ensureOpenAQ } = await import('../tasks/openaq/ensure.js');
  const svc = await ensureOpenAQ();
  if (svc.simulated) say(`OPENAQ_API_KEY is not set: using the built-in OpenAQ simulator at ${svc.baseUrl} (offline, simulated data)`);
  return () => svc.close();
}
