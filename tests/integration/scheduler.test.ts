// The scheduler daemon end to end: runs created on schedule and completed, a SIGKILL and restart, the single-scheduler
// guard, pause / trigger, pools, and next-execution. The schedulers are real `dag` processes (a test kills one, and
// the guard is about processes); the commands around them go through the same command tree in this process
// (tests/support/in-process-cli.ts), without a Node start-up each.
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { dag, dagAsync, exited, until, workspace, killedAfterEach } from '../support/cli.js';
import { dagInProcess } from '../support/in-process-cli.js';
import { stateDb } from '../support/state.js';
import { maxConcurrency, traced } from '../support/concurrency.js';

const children = killedAfterEach();

function spawnScheduler(ws: ReturnType<typeof workspace>) {
  const c = dagAsync(ws, ['scheduler', '--tick', '200']);
  children.push(c);
  return c;
}

function runs(home: string, dagId: string) {
  if (!fs.existsSync(path.join(home, 'windsock.db'))) return []; // the scheduler has not created it yet
  const db = stateDb(home);
  try {
    return db.prepare(`SELECT run_id, run_type, state, data_interval_start AS s, data_interval_end AS e FROM dag_run WHERE dag_id = ? ORDER BY logical_date`).all(dagId) as {
      run_id: string; run_type: string; state: string; s: string; e: string;
    }[];
  } catch {
    return [];
  } finally {
    db.close();
  }
}

describe('dag scheduler', () => {
  it('creates the due runs of a short schedule, with contiguous data intervals, and completes them', async () => {
    const ws = workspace();
    const dir = path.dirname(ws.home);
    const start = new Date(Math.floor(Date.now() / 1000) * 1000 - 6000).toISOString();
    fs.writeFileSync(
      path.join(ws.dags, 'tick.yaml'),
      `tick:
  schedule: {__type__: datetime.timedelta, seconds: 2}
  catchup: true
  default_args: {start_date: "${start}"}
  tasks:
    - {task_id: a, operator: bash, bash_command: 'echo "{{ run_id }}" >> ${dir}/a'}
    - {task_id: b, operator: empty, dependencies: [a]}
`,
    );
    const sched = spawnScheduler(ws);
    await until(() => runs(ws.home, 'tick').filter((r) => r.state === 'success').length >= 4, 60_000, 'four successful runs');
    sched.kill('SIGTERM');
    expect(await exited(sched), sched.output()).toBe(0);
    const done = runs(ws.home, 'tick').filter((r) => r.state === 'success');
    expect(done[0].s).toBe(new Date(start).toISOString());
    for (let i = 0; i < done.length; i++) {
      expect(done[i].run_type).toBe('scheduled');
      expect(done[i].run_id).toMatch(/^scheduled__\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
      expect(Date.parse(done[i].e) - Date.parse(done[i].s)).toBe(2000);
      if (i > 0) expect(done[i].s).toBe(done[i - 1].e);
    }
    const ranA = fs.readFileSync(path.join(dir, 'a'), 'utf8').trim().split('\n');
    expect(new Set(ranA).size).toBe(ranA.length); // no run's task ran twice
  });

  it('finishes the runs of a scheduler killed with SIGKILL after a restart, running no finished task twice', async () => {
    const ws = workspace();
    const dir = path.dirname(ws.home);
    fs.writeFileSync(
      path.join(ws.dags, 'once.yaml'),
      `once:
  schedule: "@once"
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: a1, operator: bash, bash_command: "echo a1 >> ${dir}/ran"}
    - {task_id: a2, operator: bash, bash_command: "echo a2 >> ${dir}/ran"}
    - task_id: slow
      operator: bash
      dependencies: [a1, a2]
      bash_command: "echo slow >> ${dir}/ran; if [ ! -f ${dir}/once ]; then touch ${dir}/once; echo $$ > ${dir}/slow.pid; exec sleep 60; fi"
    - {task_id: z, operator: bash, bash_command: "echo z >> ${dir}/ran", dependencies: [slow]}
`,
    );
    const first = spawnScheduler(ws);
    await until(() => fs.existsSync(path.join(dir, 'slow.pid')), 60_000, 'the slow task to start');
    first.kill('SIGKILL');
    await exited(first);
    const second = spawnScheduler(ws);
    await until(() => runs(ws.home, 'once')[0]?.state === 'success', 60_000, 'the run to succeed');
    second.kill('SIGTERM');
    await exited(second);
    expect(fs.readFileSync(path.join(dir, 'ran'), 'utf8').trim().split('\n').sort()).toEqual(['a1', 'a2', 'slow', 'slow', 'z']);
    expect(runs(ws.home, 'once')).toHaveLength(1);
  });

  it('refuses to start a second scheduler on the same state database', async () => {
    const ws = workspace({ 'e.yaml': 'e:\n  schedule: null\n  tasks: [{task_id: t, operator: empty}]\n' });
    const first = spawnScheduler(ws);
    await until(() => first.output().includes('scheduler started'), 60_000, 'the first scheduler');
    const second = await dag(ws, ['scheduler']);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/another scheduler is running on this state database \(pid \d+/);
  });

  it('keeps a triggered run of a paused DAG queued until it is unpaused', async () => {
    const ws = workspace({
      'm.yaml': `m:\n  schedule: null\n  default_args: {start_date: 2024-01-01}\n  tasks: [{task_id: t, operator: bash, bash_command: "echo hi"}]\n`,
      'other.yaml': `other:\n  schedule: null\n  default_args: {start_date: 2024-01-01}\n  tasks: [{task_id: t, operator: bash, bash_command: "echo hi"}]\n`,
    });
    expect((await dagInProcess(ws, ['pause', 'm'])).code).toBe(0);
    const trig = await dagInProcess(ws, ['trigger', 'm', '--conf', '{"x": 1}', '-o', 'json']);
    expect(trig.code, trig.stderr).toBe(0);
    const row = JSON.parse(trig.stdout)[0];
    expect(row).toMatchObject({ dag_id: 'm', run_type: 'manual', state: 'queued', external_trigger: true, conf: { x: 1 } });
    expect(row.dag_run_id).toBe(`manual__${row.logical_date}`);
    // A run of an unpaused DAG, triggered after m's, completing shows the scheduler has been through the queue.
    expect((await dagInProcess(ws, ['trigger', 'other'])).code).toBe(0);
    spawnScheduler(ws);
    await until(() => runs(ws.home, 'other')[0]?.state === 'success', 60_000, 'the run of the unpaused DAG to succeed');
    expect(runs(ws.home, 'm')[0].state).toBe('queued');
    expect((await dagInProcess(ws, ['unpause', 'm'])).code).toBe(0);
    await until(() => runs(ws.home, 'm')[0]?.state === 'success', 60_000, 'the manual run to succeed');
    const listed = await dagInProcess(ws, ['list-runs', 'm', '--state', 'success', '-o', 'json']);
    expect(JSON.parse(listed.stdout).map((r: { run_id: string }) => r.run_id)).toEqual([row.dag_run_id]);
  });
});

describe('pools', () => {
  it('never runs more tasks in a pool than it has slots', async () => {
    const ws = workspace();
    const trace = path.join(path.dirname(ws.home), 'trace');
    const tasks = Array.from({ length: 6 }, (_, i) => `    - {task_id: t${i}, operator: bash, pool: small, bash_command: '${traced(trace, `t${i}`, 'sleep 0.3')}'}`).join('\n');
    fs.writeFileSync(path.join(ws.dags, 'p.yaml'), `p:\n  schedule: null\n  default_args: {start_date: 2024-01-01}\n  tasks:\n${tasks}\n`);
    const missing = await dagInProcess(ws, ['run', 'p', '--date', '2024-03-01']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/uses pool 'small', which does not exist: create it with dag pools set small SLOTS/);
    expect((await dagInProcess(ws, ['pools', 'set', 'small', '2', '--description', 'two at a time'])).code).toBe(0);
    // a real process: tasks that must overlap are spawned slowly from the large test process on a busy machine
    const r = await dag(ws, ['run', 'p', '--date', '2024-03-01']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(maxConcurrency(trace)).toBe(2);
    const list = JSON.parse((await dagInProcess(ws, ['pools', 'list', '-o', 'json'])).stdout);
    expect(list).toEqual([
      { pool: 'default_pool', slots: 128, running: 0, queued: 0, open: 128, description: 'Default pool' },
      { pool: 'small', slots: 2, running: 0, queued: 0, open: 2, description: 'two at a time' },
    ]);
    expect((await dagInProcess(ws, ['pools', 'delete', 'default_pool'])).code).toBe(2);
  });
});

describe('dag next-execution', () => {
  it('lists the next runs from the state database with a fixed clock', async () => {
    const ws = workspace({ 'aq.yaml': 'aq:\n  schedule: "@daily"\n  timezone: Europe/Paris\n  catchup: false\n  default_args: {start_date: 2024-01-01}\n  tasks: [{task_id: t, operator: empty}]\n' });
    const r = await dagInProcess(ws, ['next-execution', 'aq', '-n', '3', '--now', '2024-03-30T12:00:00Z', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { run_id: 'scheduled__2024-03-28T23:00:00+00:00', logical_date: '2024-03-28T23:00:00+00:00', data_interval_start: '2024-03-28T23:00:00+00:00', data_interval_end: '2024-03-29T23:00:00+00:00', run_after: '2024-03-29T23:00:00+00:00' },
      { run_id: 'scheduled__2024-03-29T23:00:00+00:00', logical_date: '2024-03-29T23:00:00+00:00', data_interval_start: '2024-03-29T23:00:00+00:00', data_interval_end: '2024-03-30T23:00:00+00:00', run_after: '2024-03-30T23:00:00+00:00' },
      // the daylight-saving change: a 23-hour local day
      { run_id: 'scheduled__2024-03-30T23:00:00+00:00', logical_date: '2024-03-30T23:00:00+00:00', data_interval_start: '2024-03-30T23:00:00+00:00', data_interval_end: '2024-03-31T22:00:00+00:00', run_after: '2024-03-31T22:00:00+00:00' },
    ]);
    const plain = await dagInProcess(ws, ['next-execution', 'aq', '--now', '2024-03-30T12:00:00Z']);
    expect(plain.stdout.trim()).toBe('2024-03-28T23:00:00+00:00');
    const bad = await dagInProcess(ws, ['next-execution', 'aq', '--now', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--now 'yesterday' is not a date/);
  });
});
