// `dag ...` run through the CLI's own command tree (cli/program.ts) inside the test process: the same flag parsing,
// settings checks, validators and error report as the real CLI, without a Node start-up (0.3-0.9 s of CPU each).
// For refusals, listings, and runs a test only needs the outcome of; every command and error family keeps at least
// one real child-process run (tests/support/cli.ts `dag`) to prove the process-level wiring: stderr, exit code.
// Keep a real process where the test is about processes (kills, races, locks, pids), where the output comes from the
// engine's logger (pino writes to fd 2, past the capture here), where the command may end the process (the scheduler,
// a state database that fails mid-run), or where tasks must overlap (spawns from the large test process are slow).
import { runCli } from '../../cli/program.js';
import type { CliResult, Workspace } from './cli.js';

let queue: Promise<unknown> = Promise.resolve();

/**
 * `dag args` in this process, with the workspace's WINDSOCK_* / OPENAQ_* settings (and `env`) as its environment and
 * its stdout and stderr collected. Runs one at a time: the environment and the output streams are the process's.
 */
export function dagInProcess(ws: Workspace, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const run = queue.then(() => runIsolated(ws, args, opts.env ?? {}));
  queue = run.catch(() => undefined);
  return run;
}

/** `dagInProcess` for each argument list, in order. */
export async function dagsInProcess(ws: Workspace, cases: string[][], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<CliResult[]> {
  const out: CliResult[] = [];
  for (const args of cases) out.push(await dagInProcess(ws, args, opts));
  return out;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

const isSetting = (k: string) => k.startsWith('WINDSOCK_') || k.startsWith('OPENAQ_');

async function runIsolated(ws: Workspace, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const savedEnv = { ...process.env };
  const savedExitCode = process.exitCode;
  const out = { stdout: '', stderr: '' };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const collect = (stream: 'stdout' | 'stderr') =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      out[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }) as typeof process.stdout.write;
  for (const k of Object.keys(process.env)) if (isSetting(k)) delete process.env[k];
  for (const [k, v] of Object.entries({ ...ws.env, ...env })) {
    if (v === undefined) delete process.env[k];
    else if (isSetting(k) || env[k] !== undefined) process.env[k] = v;
  }
  process.exitCode = undefined;
  // `dag run` and `dag backfill` stop cleanly on Ctrl-C: their listeners are the command's, removed when it ends.
  const signalListeners = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
  process.stdout.write = collect('stdout');
  process.stderr.write = collect('stderr');
  try {
    const code = await runCli(args);
    return { code, ...out };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    process.exitCode = savedExitCode;
    for (const [s, before] of signalListeners) for (const l of process.listeners(s)) if (!before.includes(l)) process.removeListener(s, l);
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
  }
}
