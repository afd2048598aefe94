// Why a task failed, printed by the commands that run tasks: `<task> failed: <reason>  (log: <attempt log>)`, as
// `airflow dags test` prints the exception, without leaking a secret. `dag run` and the run holding a secret are real
// `dag` processes; backfill, tasks test and the retry go through the same command tree in this process
// (tests/support/in-process-cli.ts), without a Node start-up each.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dag, workspace } from '../support/cli.js';
import { dagInProcess } from '../support/in-process-cli.js';
import { ROOT } from '../support/paths.js';
import { startSimulator, type Simulator } from '../../tasks/openaq/simulator/index.js';

const FAILER = `failer:
  schedule: "@daily"
  start_date: 2024-01-01
  catchup: false
  tasks:
    boom: {operator: bash, bash_command: "echo about to fail; exit 3"}
    after: {operator: bash, bash_command: echo never, dependencies: [boom]}
`;
const RETRIER = `retrier:
  schedule: "@daily"
  start_date: 2024-01-01
  catchup: false
  tasks:
    flaky: {operator: bash, bash_command: "exit 4", retries: 1, retry_delay_sec: 0}
`;

/** The log path of the line `<task> <state...>: ...exit code N...  (log: PATH)`, checked to exist and hold the error. */
function reasonLog(out: string, prefix: string, reason: RegExp): string {
  const line = out.split('\n').map((l) => l.trim()).find((l) => l.startsWith(prefix));
  expect(line, out).toBeDefined();
  const m = /^(.*)  \(log: (.+)\)$/.exec(line!);
  expect(m, line).not.toBeNull();
  expect(m![1]).toMatch(reason);
  expect(fs.readFileSync(m![2], 'utf8')).toMatch(reason);
  return m![2];
}

describe('a failing bash task', () => {
  it('dag run prints the reason and the attempt log', async () => {
    const ws = workspace({ 'failer.yaml': FAILER });
    const r = await dag(ws, ['run', 'failer', '--date', '2024-04-20']);
    expect(r.code).toBe(1);
    const log = reasonLog(r.stdout, 'boom failed: ', /exit code 3/);
    expect(log).toBe(path.join(ws.home, 'logs/dag_id=failer/run_id=backfill__2024-04-20T00:00:00+00:00/task_id=boom/attempt=1.log'));
    expect(r.stdout).not.toMatch(/^after failed/m); // upstream_failed is not a failure of its own
  }, 240_000);

  it('dag backfill prints it under each failed run', async () => {
    const ws = workspace({ 'failer.yaml': FAILER });
    const r = await dagInProcess(ws, ['backfill', 'failer', '--from', '2024-04-20', '--to', '2024-04-21']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ {2}backfill__2024-04-20T00:00:00\+00:00\n {4}boom failed: .*exit code 3/);
    expect(r.stdout).toMatch(/ {2}backfill__2024-04-21T00:00:00\+00:00\n {4}boom failed: .*exit code 3/);
    reasonLog(r.stdout, 'boom failed: ', /exit code 3/);
  }, 240_000);

  it('dag tasks test prints it last', async () => {
    const ws = workspace({ 'failer.yaml': FAILER });
    const r = await dagInProcess(ws, ['tasks', 'test', 'failer', 'boom', '2024-04-20']);
    expect(r.code).not.toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^boom failed: .*exit code 3\. {2}\(log: .*attempt=1\.log\)$/);
    reasonLog(r.stdout, 'boom failed: ', /exit code 3/); // kept for the path printed
  }, 240_000);

  it('an attempt that goes up_for_retry is said as it happens, with its try', async () => {
    const ws = workspace({ 'retrier.yaml': RETRIER });
    const r = await dagInProcess(ws, ['run', 'retrier', '--date', '2024-04-20']);
    expect(r.code).toBe(1);
    reasonLog(r.stdout, 'flaky up_for_retry (try 1): ', /exit code 4/);
    expect(reasonLog(r.stdout, 'flaky failed: ', /exit code 4/)).toMatch(/attempt=2\.log$/);
  }, 240_000);
});

describe('a rejected OpenAQ key', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ apiKey: 'the-right-key-42' });
  }, 240_000);
  afterAll(() => sim.close());

  it('dag run openaq says the key was rejected, where, and never shows the key', async () => {
    const ws = workspace(
      { 'openaq.yaml': fs.readFileSync(path.join(ROOT, 'dags/openaq.yaml'), 'utf8') },
      { OPENAQ_API_KEY: 'a-wrong-key-0042', OPENAQ_BASE_URL: sim.url, OPENAQ_RETRY_BASE_MS: '5' },
    );
    const r = await dag(ws, ['run', 'openaq', '--date', '2024-04-20']);
    expect(r.code).toBe(1);
    reasonLog(r.stdout, 'extract failed: ', new RegExp(`OPENAQ_API_KEY was rejected by ${sim.url.replace(/\./g, '\\.')}/v3/\\S+ \\(401\\): check the key`));
    expect(r.stdout + r.stderr).not.toContain('a-wrong-key-0042');
  }, 240_000);
});
