// What a dead runner leaves behind: runs it was driving (adopted by the scheduler, so max_active_runs is not wedged),
// bash tasks it started (they die with it, so the restarted runner's attempt is the only one), attempts it was
// running (given back, but only three times in a row), and queued runs that cannot start (they say why). Every
// runner here is a real `dag` process (they are killed, or kill themselves); a trigger and a listing between them go
// through the same command tree in this process (tests/support/in-process-cli.ts).
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { dag, dagAsync, exited, until, workspace, killedAfterEach } from '../support/cli.js';
import { dagInProcess } from '../support/in-process-cli.js';
import { stateDb } from '../support/state.js';
import { lines, processGone } from '../support/processes.js';
import { ROOT } from '../support/paths.js';

const children = killedAfterEach();

const ENV = { WINDSOCK_JOB_DEAD_AFTER_SEC: '5' };

function start(ws: ReturnType<typeof workspace>, args: string[]) {
  const c = dagAsync(ws, args, ENV);
  children.push(c);
  return c;
}

function runs(home: string, dagId: string) {
  const db = stateDb(home);
  try {
    return db.prepare('SELECT run_id, run_type, state, waiting_reason FROM dag_run WHERE dag_id = ? ORDER BY logical_date').all(dagId) as {
      run_id: string; run_type: string; state: string; waiting_reason: string | null;
    }[];
  } finally {
    db.close();
  }
}

/** A task that records "<ds> <pid>" when it starts and "<ds> end" when the test lets it finish. */
const gatedTask = (dir: string) => `
    - task_id: wait
      operator: bash
      bash_command: 'echo "{{ ds }} $$" >> ${dir}/started; while [ ! -f ${dir}/go ]; do sleep 0.1; done; echo "{{ ds }} end" >> ${dir}/ended'`;

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('a runner that dies', () => {
  it('three `dag run` killed with SIGKILL do not wedge max_active_runs: their tasks die with them and the scheduler adopts the runs, then creates the next', async () => {
    const ws = workspace();
    const dir = path.dirname(ws.home);
    fs.writeFileSync(path.join(ws.dags, 'wedge.yaml'), `wedge:
  schedule: "@daily"
  catchup: false
  max_active_runs: 3
  default_args: {start_date: 2024-01-01}
  tasks:${gatedTask(dir)}
`);
    const dates = ['2024-04-20', '2024-04-21', '2024-04-22'];
    for (const [i, date] of dates.entries()) {
      const run = start(ws, ['run', 'wedge', '--date', date]);
      await until(() => lines(path.join(dir, 'started')).length === i + 1, 60_000, `the task of ${date} to start`);
      run.kill('SIGKILL');
      await exited(run);
    }
    // The bash tasks did not outlive their runners.
    const pids = lines(path.join(dir, 'started')).map((l) => Number(l.split(' ')[1]));
    await until(() => pids.every(processGone), 30_000, 'the orphaned bash tasks to die');
    expect(runs(ws.home, 'wedge').map((r) => r.state)).toEqual(['running', 'running', 'running']);

    const sched = start(ws, ['scheduler', '--tick', '200']);
    await until(() => count(sched.output(), 'adopted wedge backfill__') === 3, 60_000, 'the scheduler to adopt the three runs');
    // While they run, the next scheduled run waits for a slot, and the scheduler says so (once).
    await until(() => sched.output().includes('wedge has 3 run(s) queued or running, its max_active_runs (3): the next run is created when one finishes'), 60_000, 'the scheduler to say why it creates nothing');
    fs.writeFileSync(path.join(dir, 'go'), '');
    await until(() => runs(ws.home, 'wedge').some((r) => r.run_type === 'scheduled' && r.state === 'success'), 60_000, 'a scheduled run to be created and succeed');
    const all = runs(ws.home, 'wedge');
    expect(all.filter((r) => r.run_type === 'backfill').map((r) => r.state)).toEqual(['success', 'success', 'success']);
    expect(lines(path.join(dir, 'ended')).filter((l) => !l.startsWith('2024-04-2')).length).toBe(1); // the scheduled run's
    expect(lines(path.join(dir, 'ended')).filter((l) => l.startsWith('2024-04-2')).sort()).toEqual(dates.map((d) => `${d} end`));
    expect(count(sched.output(), 'the next run is created when one finishes')).toBe(1);
  });

  it('a scheduler killed with SIGKILL takes its bash task with it; the restarted one runs the attempt once more, saying why the count passes retries', async () => {
    const ws = workspace();
    const dir = path.dirname(ws.home);
    fs.writeFileSync(path.join(ws.dags, 'sk.yaml'), `sk:
  schedule: "@once"
  default_args: {start_date: 2024-01-01}
  tasks:${gatedTask(dir)}
`);
    const first = start(ws, ['scheduler', '--tick', '200']);
    await until(() => lines(path.join(dir, 'started')).length === 1, 60_000, 'the task to start');
    first.kill('SIGKILL');
    await exited(first);
    const pid = Number(lines(path.join(dir, 'started'))[0].split(' ')[1]);
    await until(() => processGone(pid), 30_000, `the bash task (pid ${pid}) to die with its scheduler`);
    fs.writeFileSync(path.join(dir, 'go'), '');
    const second = start(ws, ['scheduler', '--tick', '200']);
    await until(() => runs(ws.home, 'sk')[0]?.state === 'success', 60_000, 'the run to succeed');
    second.kill('SIGTERM');
    await exited(second);
    expect(lines(path.join(dir, 'started'))).toHaveLength(2);
    expect(lines(path.join(dir, 'ended'))).toHaveLength(1); // the killed attempt did not finish behind the new one's back
    const runId = runs(ws.home, 'sk')[0].run_id;
    const log = fs.readFileSync(path.join(ws.home, `logs/dag_id=sk/run_id=${runId}/task_id=wait/attempt=2.log`), 'utf8');
    expect(log).toContain('Starting attempt 2 of 2 (1 interrupted attempt did not count): sk.wait');
  });

  it('a TypeScript operator that kills its own runner fails after three interrupted attempts, saying so', async () => {
    const ws = workspace(
      { 'k.yaml': 'k:\n  schedule: null\n  default_args: {start_date: 2024-01-01}\n  tasks:\n    - {task_id: boom, operator: test.kill_runner, retries: 3}\n' },
      { WINDSOCK_PLUGINS: path.join(ROOT, 'dist/tests/support/killer-operator.js') },
    );
    for (let i = 1; i <= 3; i++) {
      const r = await dag(ws, ['run', 'k', '--date', '2024-04-20']);
      expect(r.code, r.stdout + r.stderr).toBeNull(); // SIGKILLed by its own task
    }
    const r = await dag(ws, ['run', 'k', '--date', '2024-04-20']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain(
      'k.boom backfill__2024-04-20T00:00:00+00:00: attempt 3 was interrupted 3 times in a row (the process running it died, last pid',
    );
    const logs = path.join(ws.home, 'logs/dag_id=k/run_id=backfill__2024-04-20T00:00:00+00:00/task_id=boom');
    expect(fs.readFileSync(path.join(logs, 'attempt=1.log'), 'utf8')).toContain('Starting attempt 1 of 4: k.boom');
    expect(fs.readFileSync(path.join(logs, 'attempt=3.log'), 'utf8')).toContain('Starting attempt 3 of 6 (2 interrupted attempts did not count): k.boom');
    expect(fs.existsSync(path.join(logs, 'attempt=4.log'))).toBe(false);
    const db = stateDb(ws.home);
    const ti = db.prepare(`SELECT state, try_number FROM task_instance WHERE dag_id = 'k'`).get();
    const event = db.prepare(`SELECT extra FROM log WHERE dag_id = 'k' AND event = 'failed'`).pluck().get() as string;
    db.close();
    expect(ti).toEqual({ state: 'failed', try_number: 3 });
    expect(JSON.parse(event).error).toMatch(/^attempt 3 was interrupted 3 times in a row/);
  });
});

describe('a queued run that cannot start', () => {
  it('says why in the scheduler log (once) and in dag list-runs, and starts when a slot frees', async () => {
    const ws = workspace();
    const dir = path.dirname(ws.home);
    fs.writeFileSync(path.join(ws.dags, 'one.yaml'), `one:
  schedule: null
  max_active_runs: 1
  default_args: {start_date: 2024-01-01}
  tasks:${gatedTask(dir)}
`);
    const run = start(ws, ['run', 'one', '--date', '2024-04-20']);
    await until(() => lines(path.join(dir, 'started')).length === 1, 60_000, 'the dag run to start its task');
    expect((await dagInProcess(ws, ['trigger', 'one', '--logical-date', '2024-04-21'])).code).toBe(0);
    const sched = start(ws, ['scheduler', '--tick', '200']);
    const reason = 'max_active_runs of one is 1 and 1 run(s) are running (backfill__2024-04-20T00:00:00+00:00)';
    await until(() => sched.output().includes(`one manual__2024-04-21T00:00:00+00:00 is queued and cannot start: ${reason}`), 60_000, 'the scheduler to say why');
    const listed = await dagInProcess(ws, ['list-runs', 'one', '-o', 'json']);
    expect(JSON.parse(listed.stdout).map((r: { run_id: string; state: string; note: string }) => [r.run_id, r.state, r.note])).toEqual([
      ['manual__2024-04-21T00:00:00+00:00', 'queued', reason],
      ['backfill__2024-04-20T00:00:00+00:00', 'running', ''],
    ]);
    fs.writeFileSync(path.join(dir, 'go'), '');
    expect(await exited(run), run.output()).toBe(0);
    await until(() => runs(ws.home, 'one').every((r) => r.state === 'success'), 60_000, 'the manual run to start and succeed');
    expect(count(sched.output(), 'is queued and cannot start')).toBe(1);
    expect(runs(ws.home, 'one').map((r) => r.waiting_reason)).toEqual([null, null]);
  });
});
