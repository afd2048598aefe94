// TypeScript operators plugged in through WINDSOCK_PLUGINS, and the run loop's concurrency limits, through `dag run`.
// The runs whose operators crash, spin or print secrets, and those measuring how many tasks overlap (a spawn from the
// large test process is slow on a busy machine, and serialises short tasks), are real `dag` processes; the others go
// through the same command tree in this process (tests/support/in-process-cli.ts), without a Node start-up each.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { dag, workspace } from '../support/cli.js';
import { dagInProcess } from '../support/in-process-cli.js';
import { ROOT } from '../support/paths.js';
import { stateDb, taskStates } from '../support/state.js';
import { maxConcurrency, traced } from '../support/concurrency.js';

const PLUGIN = path.join(ROOT, 'dist/tests/support/test-operators.js');
const RUN_ID = 'backfill__2024-04-19T22:00:00+00:00';

function withPlugin(files: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  return workspace(files, { WINDSOCK_PLUGINS: PLUGIN, WINDSOCK_KILL_GRACE_SEC: '1', ...env });
}

const attemptLog = (home: string, dagId: string, taskId: string, n = 1) =>
  fs.readFileSync(path.join(home, `logs/dag_id=${dagId}/run_id=${RUN_ID}/task_id=${taskId}/attempt=${n}.log`), 'utf8');

function xcoms(home: string): Record<string, unknown> {
  const db = stateDb(home);
  try {
    const rows = db.prepare('SELECT task_id, key, value FROM xcom ORDER BY task_id, key').all() as { task_id: string; key: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [`${r.task_id}.${r.key}`, JSON.parse(r.value)]));
  } finally {
    db.close();
  }
}

describe('TypeScript operators', () => {
  it('get a typed context, push and pull XComs, and their return value and printed lines are kept', async () => {
    const ws = withPlugin({
      'ctx.yaml': `ctx:
  schedule: "@daily"
  timezone: Europe/Paris
  params: {region: idf}
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: first, operator: test.context, label: "one {{ ds_local }}"}
    - {task_id: second, operator: test.context, label: two, pull: first, dependencies: [first]}
`,
    });
    const r = await dagInProcess(ws, ['run', 'ctx', '--date', '2024-04-20', '--conf', '{"full": true}']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const x = xcoms(ws.home);
    expect(x['first.extra']).toEqual({ label: 'one 2024-04-20' });
    expect(x['second.return_value']).toEqual({
      label: 'two',
      dagId: 'ctx',
      taskId: 'second',
      runId: RUN_ID,
      tryNumber: 1,
      logicalDate: '2024-04-19T22:00:00+00:00',
      dataIntervalEnd: '2024-04-20T22:00:00+00:00',
      ds: '2024-04-19',
      dsLocal: '2024-04-20',
      conf: { full: true },
      params: { region: 'idf', full: true }, // Airflow 2's dag_run_conf_overrides_params: conf overrides params
      pulled: x['first.return_value'],
      pulledExtra: { label: 'one 2024-04-20' },
      aborted: false,
    });
    const log = attemptLog(ws.home, 'ctx', 'second');
    expect(log).toMatch(/\{INFO\} printed by two/);
    expect(log).toMatch(/\{INFO\} logged by two/);
    expect(r.stdout).not.toMatch(/printed by/); // captured in the task log, not mixed into the runner's output
  });

  it('a task that spins forever is stopped at execution_timeout; one that throws or exits fails only itself', async () => {
    const ws = withPlugin({
      'bad.yaml': `bad:
  schedule: null
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: spin, operator: test.spin, execution_timeout: 1}
    - {task_id: exits, operator: test.exit}
    - {task_id: throws, operator: test.throw}
    - {task_id: gives_up, operator: test.fail, retries: 3, retry_delay: 0}
    - {task_id: skips, operator: test.skips}
    - {task_id: fine, operator: bash, bash_command: "echo fine"}
    - {task_id: after_spin, operator: empty, dependencies: [spin]}
    - {task_id: cleanup, operator: empty, trigger_rule: all_done, dependencies: [spin, exits, throws, gives_up, skips, fine]}
`,
    });
    const r = await dag(ws, ['run', 'bad', '--date', '2024-04-20']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(taskStates(ws.home, 'bad')).toEqual({
      spin: 'failed',
      exits: 'failed',
      throws: 'failed',
      gives_up: 'failed',
      skips: 'skipped',
      fine: 'success',
      after_spin: 'upstream_failed',
      cleanup: 'success',
    });
    const runId = 'backfill__2024-04-20T00:00:00+00:00';
    const log = (t: string) => fs.readFileSync(path.join(ws.home, `logs/dag_id=bad/run_id=${runId}/task_id=${t}/attempt=1.log`), 'utf8');
    expect(log('spin')).toMatch(/execution_timeout \(1 s\)/);
    expect(log('throws')).toMatch(/the source table is empty/);
    // process.exit(7) in an operator ends its worker thread; the task log says so in one line, with the code.
    expect(log('exits').split('\n').map((l) => l.replace(/^\[[^\]]+\] /, ''))).toContain('{INFO} Attempt 1 ended: failed (the task ended its worker thread (exit code 7))');
    const db = stateDb(ws.home);
    expect(db.prepare(`SELECT try_number FROM task_instance WHERE task_id = 'gives_up'`).get()).toEqual({ try_number: 1 }); // FailTask: no retry
    db.close();
  });

  it('never writes the value of a secret environment variable to a task log', async () => {
    const secret = 'sk-live-1234567890abcdef';
    const ws = withPlugin(
      {
        's.yaml': `s:
  schedule: null
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: ts, operator: test.secret}
    - {task_id: sh, operator: bash, bash_command: 'echo "key is $TEST_API_KEY"'}
`,
      },
      { TEST_API_KEY: secret },
    );
    const r = await dag(ws, ['run', 's', '--date', '2024-04-20']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const runId = 'backfill__2024-04-20T00:00:00+00:00';
    for (const t of ['ts', 'sh']) {
      const log = fs.readFileSync(path.join(ws.home, `logs/dag_id=s/run_id=${runId}/task_id=${t}/attempt=1.log`), 'utf8');
      expect(log).toMatch(/key (is|using key|printing key)? ?\*\*\*/);
      expect(log).not.toContain(secret);
    }
    expect(r.stdout + r.stderr).not.toContain(secret);
  });
});

describe('concurrency', () => {
  const wide = (file: string, extra: string) => `wide:
  schedule: null
${extra}
  default_args: {start_date: 2024-01-01}
  tasks:
${Array.from({ length: 6 }, (_, i) => `    - {task_id: t${i}, operator: bash, bash_command: '${traced(file, `t${i}`, 'sleep 0.3')}'}`).join('\n')}
`;

  it('never runs more than max_active_tasks of a DAG at once', async () => {
    const ws = workspace();
    const file = path.join(ws.dags, '..', 'trace');
    fs.writeFileSync(path.join(ws.dags, 'wide.yaml'), wide(file, '  max_active_tasks: 2'));
    expect((await dag(ws, ['run', 'wide', '--date', '2024-04-20'])).code).toBe(0);
    expect(maxConcurrency(file)).toBe(2);
  });

  it('never runs more than WINDSOCK_PARALLELISM task instances at once', async () => {
    const ws = workspace({}, { WINDSOCK_PARALLELISM: '3' });
    const file = path.join(ws.dags, '..', 'trace');
    fs.writeFileSync(path.join(ws.dags, 'wide.yaml'), wide(file, ''));
    expect((await dag(ws, ['run', 'wide', '--date', '2024-04-20'])).code).toBe(0);
    expect(maxConcurrency(file)).toBe(3);
  });

  it('starts ready tasks in priority_weight order (downstream weights summed, as Airflow does)', async () => {
    const ws = workspace();
    const file = path.join(ws.dags, '..', 'order');
    fs.writeFileSync(
      path.join(ws.dags, 'prio.yaml'),
      `prio:
  schedule: null
  max_active_tasks: 1
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: low, operator: bash, bash_command: 'echo low >> ${file}', priority_weight: 1}
    - {task_id: high, operator: bash, bash_command: 'echo high >> ${file}', priority_weight: 10}
    - {task_id: mid, operator: bash, bash_command: 'echo mid >> ${file}', priority_weight: 2}
    - {task_id: feeds_many, operator: bash, bash_command: 'echo feeds_many >> ${file}', priority_weight: 1}
    - {task_id: d1, operator: empty, priority_weight: 5, dependencies: [feeds_many]}
    - {task_id: d2, operator: empty, priority_weight: 5, dependencies: [feeds_many]}
`,
    );
    expect((await dagInProcess(ws, ['run', 'prio', '--date', '2024-04-20'])).code).toBe(0);
    // feeds_many weighs 1 + 5 + 5 = 11 with the default downstream weight rule
    expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toEqual(['feeds_many', 'high', 'mid', 'low']);
  });
});
