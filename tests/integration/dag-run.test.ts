// `dag run` end to end on DAGs of bash tasks. The runs a test kills, and one run that fails, are real `dag`
// processes exactly as users run them (exit code, stdout); the others go through the same command tree in this
// process (tests/support/in-process-cli.ts), which spares a Node start-up and module loading per run.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { dag, dagAsync, exited, until, workspace } from '../support/cli.js';
import { dagInProcess } from '../support/in-process-cli.js';
import { processGone } from '../support/processes.js';
import { stateDb, taskStates } from '../support/state.js';

const BRANCHES = `
branches:
  schedule: "@daily"
  default_args:
    start_date: 2024-01-01
  tasks:
    - {task_id: start, operator: BashOperator, bash_command: "echo start"}
    - {task_id: ok, operator: bash, bash_command: "echo fine", dependencies: [start]}
    - {task_id: boom, operator: bash, bash_command: "echo about to fail; exit 3", dependencies: [start]}
    - {task_id: after_boom, operator: bash, bash_command: "echo never", dependencies: [boom]}
    - {task_id: cleanup, operator: bash, bash_command: "echo cleanup", trigger_rule: all_done, dependencies: [ok, boom]}
    - {task_id: alert, operator: bash, bash_command: "echo alert", trigger_rule: one_failed, dependencies: [ok, boom]}
    - {task_id: skipper, operator: bash, bash_command: "exit 99", dependencies: [start]}
    - {task_id: after_skip, operator: bash, bash_command: "echo never", dependencies: [skipper]}
    - {task_id: join, operator: empty, trigger_rule: none_failed_min_one_success, dependencies: [ok, skipper]}
`;

describe('dag run', () => {
  it('applies trigger rules across a failing branch and a skipped one, and exits 1 when a leaf failed', async () => {
    const ws = workspace({ 'branches.yaml': BRANCHES });
    const r = await dag(ws, ['run', 'branches', '--date', '2024-03-01']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(taskStates(ws.home, 'branches')).toEqual({
      start: 'success',
      ok: 'success',
      boom: 'failed',
      after_boom: 'upstream_failed',
      cleanup: 'success',
      alert: 'success',
      skipper: 'skipped',
      after_skip: 'skipped',
      join: 'success',
    });
    expect(r.stdout).toMatch(/boom\s+failed\s+1/);
    expect(r.stdout).toMatch(/DAG run backfill__2024-03-01T00:00:00\+00:00 of branches: failed/);
    const log = fs.readFileSync(path.join(ws.home, 'logs/dag_id=branches/run_id=backfill__2024-03-01T00:00:00+00:00/task_id=boom/attempt=1.log'), 'utf8');
    expect(log).toContain('about to fail');
    expect(log).toContain('non-zero exit code 3');
    // As in Airflow, an EmptyOperator task is set to success by the scheduler itself: never executed, no log.
    expect(fs.existsSync(path.join(ws.home, 'logs/dag_id=branches/run_id=backfill__2024-03-01T00:00:00+00:00/task_id=join'))).toBe(false);
  });

  it('retries a flaky task until it succeeds on the third attempt, then a rerun clears and runs again', async () => {
    const ws = workspace();
    const counter = path.join(ws.home, '..', 'count');
    fs.writeFileSync(
      path.join(ws.dags, 'flaky.yaml'),
      `flaky:
  schedule: "@daily"
  default_args: {start_date: 2024-01-01, retries: 3, retry_delay: 0}
  tasks:
    flaky:
      operator: bash
      bash_command: 'n=$(( $(cat ${counter} 2>/dev/null || echo 0) + 1 )); echo $n > ${counter}; echo attempt $n; [ $n -ge 3 ]'
    after: {operator: bash, bash_command: 'echo done', dependencies: [flaky]}
`,
    );
    const r = await dagInProcess(ws, ['run', 'flaky', '--date', '2024-03-01']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const db = stateDb(ws.home);
    const ti = db.prepare(`SELECT state, try_number, max_tries FROM task_instance WHERE task_id = 'flaky'`).get();
    expect(ti).toEqual({ state: 'success', try_number: 3, max_tries: 3 });
    const history = db.prepare(`SELECT try_number, state FROM task_instance_history WHERE task_id = 'flaky' ORDER BY id`).all();
    expect(history).toEqual([
      { try_number: 1, state: 'up_for_retry' },
      { try_number: 2, state: 'up_for_retry' },
      { try_number: 3, state: 'success' },
    ]);
    db.close();
    // Finished runs are cleared and run again: a fresh set of retries, the same run id.
    const again = await dagInProcess(ws, ['run', 'flaky', '--date', '2024-03-01']);
    expect(again.code).toBe(0);
    const db2 = stateDb(ws.home);
    expect(db2.prepare(`SELECT state, try_number FROM task_instance WHERE task_id = 'flaky'`).get()).toEqual({ state: 'success', try_number: 4 });
    expect(db2.prepare('SELECT count(*) AS n, max(clear_number) AS c FROM dag_run').get()).toEqual({ n: 1, c: 1 });
    db2.close();
  });

  it('stops a command that ignores SIGTERM when execution_timeout passes, and counts it as a failure', async () => {
    const ws = workspace({}, { WINDSOCK_KILL_GRACE_SEC: '1' });
    const pids = path.join(ws.home, '..', 'pids');
    fs.writeFileSync(
      path.join(ws.dags, 'slow.yaml'),
      `slow:
  schedule: null
  default_args: {start_date: 2024-01-01, execution_timeout: 1}
  tasks:
    - task_id: stubborn
      operator: bash
      bash_command: "trap '' TERM; echo $$ > ${pids}; sleep 300 & echo $! >> ${pids}; wait"
`,
    );
    const r = await dagInProcess(ws, ['run', 'slow', '--date', '2024-03-01']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(taskStates(ws.home, 'slow')).toEqual({ stubborn: 'failed' });
    for (const pid of fs.readFileSync(pids, 'utf8').trim().split('\n').map(Number)) {
      expect(isRunning(pid), `process ${pid} should be gone`).toBe(false);
    }
    const log = fs.readFileSync(path.join(ws.home, 'logs/dag_id=slow/run_id=backfill__2024-03-01T00:00:00+00:00/task_id=stubborn/attempt=1.log'), 'utf8');
    expect(log).toMatch(/execution_timeout \(1 s\)/);
  });

  it('renders templates, sets AIRFLOW_CTX_* and keeps the last output line as the XCom', async () => {
    const ws = workspace({
      'tpl.yaml': `tpl:
  schedule: "@daily"
  timezone: Europe/Paris
  params: {who: world}
  default_args: {start_date: 2024-01-01}
  tasks:
    - task_id: hello
      operator: bash
      bash_command: 'echo noise; echo "{{ ds }} {{ ds_local }} {{ params.who }} {{ dag_run.conf.extra }} $AIRFLOW_CTX_DAG_ID $AIRFLOW_CTX_TRY_NUMBER"'
    - task_id: pull
      operator: bash
      bash_command: 'echo "got {{ ti.xcom_pull(task_ids=''hello'') }}"'
      dependencies: [hello]
`,
    });
    const r = await dagInProcess(ws, ['run', 'tpl', '--date', '2024-04-20', '--conf', '{"extra": 42}']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const db = stateDb(ws.home);
    const x = db.prepare(`SELECT task_id, value FROM xcom ORDER BY task_id`).all() as { task_id: string; value: string }[];
    db.close();
    expect(x.map((r) => [r.task_id, JSON.parse(r.value)])).toEqual([
      ['hello', '2024-04-19 2024-04-20 world 42 tpl 1'],
      ['pull', 'got 2024-04-19 2024-04-20 world 42 tpl 1'],
    ]);
  });

  it('resumes after the runner is killed with SIGKILL, without re-running finished tasks', async () => {
    const ws = workspace();
    const dir = path.join(ws.home, '..');
    fs.writeFileSync(
      path.join(ws.dags, 'resume.yaml'),
      `resume:
  schedule: "@daily"
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: a, operator: bash, bash_command: "echo a >> ${dir}/ran"}
    - task_id: b
      operator: bash
      dependencies: [a]
      bash_command: "echo b >> ${dir}/ran; if [ ! -f ${dir}/b.once ]; then touch ${dir}/b.once; echo $$ > ${dir}/b.pid; exec sleep 60; fi"
    - {task_id: c, operator: bash, bash_command: "echo c >> ${dir}/ran", dependencies: [b]}
`,
    );
    const first = dagAsync(ws, ['run', 'resume', '--date', '2024-03-01']);
    await until(() => fs.existsSync(path.join(dir, 'b.pid')), 60_000, 'task b to start');
    first.kill('SIGKILL');
    await exited(first);
    const orphan = Number(fs.readFileSync(path.join(dir, 'b.pid'), 'utf8'));
    await until(() => processGone(orphan), 30_000, 'the orphaned attempt to die with its runner');
    expect(taskStates(ws.home, 'resume')).toMatchObject({ a: 'success', b: 'running', c: null });

    const second = await dagInProcess(ws, ['run', 'resume', '--date', '2024-03-01']);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stderr).toContain('Resuming resume backfill__2024-03-01T00:00:00+00:00');
    expect(fs.readFileSync(path.join(dir, 'ran'), 'utf8').trim().split('\n')).toEqual(['a', 'b', 'b', 'c']);
    const db = stateDb(ws.home);
    const rows = db.prepare(`SELECT task_id, state, try_number, max_tries FROM task_instance ORDER BY task_id`).all();
    db.close();
    // The interrupted attempt keeps its number and log, and did not use up a retry.
    expect(rows).toEqual([
      { task_id: 'a', state: 'success', try_number: 1, max_tries: 0 },
      { task_id: 'b', state: 'success', try_number: 2, max_tries: 1 },
      { task_id: 'c', state: 'success', try_number: 1, max_tries: 0 },
    ]);
  });

  it('says what is wrong with bad input in one line and exits 2', async () => {
    const ws = workspace({ 'branches.yaml': BRANCHES });
    const unknown = await dagInProcess(ws, ['run', 'nope', '--date', '2024-03-01']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: DAG 'nope' not found in .*branches/m);
    const badDate = await dagInProcess(ws, ['run', 'branches', '--date', '2024-13-45']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/--date '2024-13-45' is not a date/);
    const badConf = await dagInProcess(ws, ['run', 'branches', '--date', '2024-03-01', '--conf', '{nope']);
    expect(badConf.code).toBe(2);
    expect(badConf.stderr).toMatch(/--conf is not valid JSON/);
    for (const r of [unknown, badDate, badConf]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

/** A killed process may linger as a zombie until something reaps it (a container's PID 1 may never): not running. */
function isRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
