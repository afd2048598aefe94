// Running the real `dag` CLI as a child process, the way users do.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI } from './paths.js';
import { tempDir } from './tmp.js';
import { afterEach } from 'vitest';

/**
 * scrypt's cost in tests, as log2 N (1024, against 16384 for users): the suite signs in a few hundred times, which at
 * the default cost was ~14 s of CPU. Also set for the test processes themselves in vitest.config.js.
 */
export const TEST_PASSWORD_COST = '10';

export interface Workspace {
  home: string;
  dags: string;
  env: NodeJS.ProcessEnv;
}

/** A fresh WINDSOCK_HOME and DAGs folder holding the given files (name -> YAML text). */
export function workspace(files: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}): Workspace {
  const root = tempDir();
  const home = path.join(root, 'home');
  const dags = path.join(root, 'dags');
  fs.mkdirSync(dags, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dags, name), text);
  return {
    home,
    dags,
    env: { ...cleanEnv(), WINDSOCK_HOME: home, WINDSOCK_DAGS_FOLDER: dags, WINDSOCK_HEARTBEAT_SEC: '1', WINDSOCK_PASSWORD_COST: TEST_PASSWORD_COST, ...env },
  };
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('WINDSOCK_') || k.startsWith('OPENAQ_') || k === 'NODE_OPTIONS') delete env[k];
  return env;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run `dag ...` to completion. Asynchronous on purpose: a synchronous spawn blocks the test worker's event loop (and
 * any server the test hosts in it) until the child exits, which on a busy machine outlasts vitest's RPC timeout.
 */
export function dag(ws: Workspace, args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<CliResult> {
  return runToEnd([process.execPath, CLI, ...args], { ...ws.env, ...opts.env }, opts);
}

/** Run `argv` to completion, collecting its output; killed after `timeoutMs`. */
export function runToEnd(argv: string[], env: NodeJS.ProcessEnv, opts: { timeoutMs?: number; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 180_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Start `dag ...` in the background (for kill and resume tests). */
export function dagAsync(ws: Workspace, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...ws.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  return Object.assign(child, { output: () => out });
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code))));
}

/** Wait until `check` is true (polling), or throw after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 60_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A list to push background `dag` processes onto: any still running after a test is killed (and waited for). */
export function killedAfterEach(): ChildProcess[] {
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) {
      if (c.exitCode === null && c.signalCode === null) {
        c.kill('SIGKILL');
        await exited(c);
      }
    }
  });
  return children;
}
