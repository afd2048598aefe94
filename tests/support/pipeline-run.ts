// `dag run openaq` as a child process for the end-to-end tests, failing with the tails of the task logs when a run
// fails or any attempt had to be retried (a retry would hide a failure behind a 30 s wait).
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { dagAsync, exited, type Workspace } from './cli.js';
import { dagInProcess } from './in-process-cli.js';
import { stateDb } from './state.js';

/** The tails of the workspace's attempt logs: what to read when a run failed or a task had to be retried. */
export function attemptLogs(ws: Workspace): string {
  const root = path.join(ws.home, 'logs');
  if (!fs.existsSync(root)) return '(no task logs)';
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => `--- ${f}\n${fs.readFileSync(path.join(root, f), 'utf8').slice(-2000)}`)
    .join('\n');
}

/** Task attempts that did not succeed. */
export function failedAttempts(ws: Workspace): unknown[] {
  const db = stateDb(ws.home);
  try {
    return db.prepare(`SELECT run_id, task_id, try_number, state FROM task_instance_history WHERE state IS NOT 'success' ORDER BY id`).all();
  } finally {
    db.close();
  }
}

/**
 * `dag run openaq --date ds` in the background (a synchronous spawn would stall vitest's worker, and any test
 * server answering from this process), killed after 240 s (a run takes 20 s quiet, over a minute on a busy machine); resolves with what it printed. `inProcess`: through the
 * CLI's command tree in this process instead (tests/support/in-process-cli.ts), without a Node start-up.
 */
export async function runOpenaq(ws: Workspace, ds: string, o: { inProcess?: boolean } = {}): Promise<string> {
  if (o.inProcess) {
    const r = await dagInProcess(ws, ['run', 'openaq', '--date', ds]);
    expect(r.code, r.stdout + r.stderr + attemptLogs(ws)).toBe(0);
    expect(failedAttempts(ws), attemptLogs(ws)).toEqual([]);
    return r.stdout + r.stderr;
  }
  const child = dagAsync(ws, ['run', 'openaq', '--date', ds]);
  const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
  const code = await exited(child);
  clearTimeout(timer);
  expect(code, child.output() + attemptLogs(ws)).toBe(0);
  expect(failedAttempts(ws), attemptLogs(ws)).toEqual([]);
  return child.output();
}
