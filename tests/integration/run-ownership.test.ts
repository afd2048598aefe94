// One process drives a run at a time, whichever doors two of them come through: `dag run` twice, `dag backfill`
// twice, `dag run` against `dag backfill`, and `dag run` against the scheduler (for a triggered run). The one that
// loses is told at once, in one line, who holds the run, and exits 2; the task runs once. Every holder, and both
// sides of a race, are real `dag` processes; a command refused by a holder already running, and the set-up commands,
// go through the same command tree in this process (tests/support/in-process-cli.ts).
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { dagAsync, exited, until, workspace, killedAfterEach } from '../support/cli.js';
import { dagInProcess } from '../support/in-process-cli.js';
import { stateDb } from '../support/state.js';
import { lines } from '../support/processes.js';

const children = killedAfterEach();

function start(ws: ReturnType<typeof workspace>, args: string[]) {
  const c = dagAsync(ws, args);
  children.push(c);
  return c;
}

/** A DAG whose one task records each time it starts, then waits for the test to let it finish. */
function gatedWorkspace(extra = '') {
  const ws = workspace();
  const dir = path.dirname(ws.home);
  fs.writeFileSync(
    path.join(ws.dags, 'gate.yaml'),
    `gate:
  schedule: "@daily"
  catchup: false
  max_active_runs: 5
  default_args: {start_date: 2024-01-01}
${extra}  tasks:
    - task_id: wait
      operator: bash
      bash_command: 'echo "{{ ds }}" >> ${dir}/started; while [ ! -f ${dir}/go ]; do sleep 0.1; done'
`,
  );
  return { ws, started: path.join(dir, 'started'), go: path.join(dir, 'go') };
}

const HOLDER = /^error: run \S+ of gate is already being run by `dag (run|backfill)` \(pid (\d+) on [^,]+, started [^)]+\): wait for it to finish, or stop it \(kill \d+\) and run this again$/m;

/** Start two commands together; the one that exits first must be the loser. */
async function race(ws: ReturnType<typeof workspace>, args: string[]) {
  const [a, b] = [start(ws, args), start(ws, args)];
  const first = await Promise.race([exited(a).then(() => a), exited(b).then(() => b)]);
  return { loser: first, winner: first === a ? b : a };
}

describe('two processes, one run', () => {
  it('two `dag run` of the same date started together: the loser exits 2 at once naming the winner; the task runs once', async () => {
    const { ws, started, go } = gatedWorkspace();
    for (const [i, date] of ['2024-04-20', '2024-04-21', '2024-04-22'].entries()) {
      fs.rmSync(go, { force: true });
      const { loser, winner } = await race(ws, ['run', 'gate', '--date', date]);
      // The loser is done while the winner still waits for `go`: it waited for nothing.
      expect(loser.exitCode, loser.output()).toBe(2);
      const m = loser.output().match(HOLDER);
      expect(m, loser.output()).not.toBeNull();
      expect(m![1]).toBe('run');
      expect(Number(m![2])).toBe(winner.pid);
      expect(loser.output().trim().split('\n')).toHaveLength(1);
      expect(winner.exitCode).toBeNull();
      fs.writeFileSync(go, '');
      expect(await exited(winner), winner.output()).toBe(0);
      expect(lines(started)).toHaveLength(i + 1);
    }
    expect(lines(started)).toEqual(['2024-04-20', '2024-04-21', '2024-04-22']);
  });

  it('two `dag backfill` over the same range: the loser exits 2 at once naming the winner; each run runs once', async () => {
    const { ws, started, go } = gatedWorkspace();
    const { loser, winner } = await race(ws, ['backfill', 'gate', '--from', '2024-04-20', '--to', '2024-04-22']);
    expect(loser.exitCode, loser.output()).toBe(2);
    const m = loser.output().match(HOLDER);
    expect(m, loser.output()).not.toBeNull();
    expect(m![1]).toBe('backfill');
    expect(Number(m![2])).toBe(winner.pid);
    fs.writeFileSync(go, '');
    expect(await exited(winner), winner.output()).toBe(0);
    expect(lines(started).sort()).toEqual(['2024-04-20', '2024-04-21', '2024-04-22']);
  });

  it('`dag backfill` over a date a `dag run` is running is refused, and so is `dag run` of a date a backfill holds', async () => {
    const { ws, started, go } = gatedWorkspace();
    const run = start(ws, ['run', 'gate', '--date', '2024-04-21']);
    await until(() => lines(started).length === 1, 60_000, 'the dag run to start its task');
    const bf = await dagInProcess(ws, ['backfill', 'gate', '--from', '2024-04-20', '--to', '2024-04-22']);
    expect(bf.code, bf.stderr).toBe(2);
    expect(bf.stderr).toMatch(HOLDER);
    expect(bf.stderr.match(HOLDER)![1]).toBe('run');
    expect(Number(bf.stderr.match(HOLDER)![2])).toBe(run.pid);
    // Nothing of the refused backfill was recorded: the other dates have no run.
    const db = stateDb(ws.home);
    expect(db.prepare(`SELECT count(*) FROM dag_run`).pluck().get()).toBe(1);
    db.close();

    const backfill = start(ws, ['backfill', 'gate', '--from', '2024-04-22', '--to', '2024-04-23']);
    await until(() => lines(started).length === 3, 60_000, 'the backfill to start its tasks');
    const again = await dagInProcess(ws, ['run', 'gate', '--date', '2024-04-23']);
    expect(again.code, again.stderr).toBe(2);
    expect(again.stderr.match(HOLDER)?.[1]).toBe('backfill');
    fs.writeFileSync(go, '');
    expect(await exited(run), run.output()).toBe(0);
    expect(await exited(backfill), backfill.output()).toBe(0);
    expect(lines(started).sort()).toEqual(['2024-04-21', '2024-04-22', '2024-04-23']);
  });

  it('a triggered run taken by `dag run` is not also driven by the scheduler, and `dag run` of a run the scheduler drives is refused', async () => {
    const { ws, started, go } = gatedWorkspace();
    expect((await dagInProcess(ws, ['pause', 'gate'])).code).toBe(0);
    expect((await dagInProcess(ws, ['trigger', 'gate', '--logical-date', '2024-04-20'])).code).toBe(0);
    const run = start(ws, ['run', 'gate', '--date', '2024-04-20']);
    await until(() => lines(started).length === 1, 60_000, 'the dag run to start the triggered run');
    // printed before the task started, but its pipe may be read after the task's file is seen
    await until(() => /Resuming gate manual__/.test(run.output()), 30_000, 'dag run to say it resumes the triggered run');
    const sched = start(ws, ['scheduler', '--tick', '200']);
    expect((await dagInProcess(ws, ['unpause', 'gate'])).code).toBe(0);
    // The scheduler creates and starts the latest scheduled run (catchup: false) but leaves the manual one alone.
    await until(() => lines(started).length === 2, 60_000, 'the scheduler to start its own run');
    const latest = lines(started)[1];
    const refused = await dagInProcess(ws, ['run', 'gate', '--date', latest]); // a UTC @daily run's --date is its ds
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/is already being run by the scheduler \(pid (\d+) on /);
    expect(Number(refused.stderr.match(/the scheduler \(pid (\d+)/)![1])).toBe(sched.pid);
    fs.writeFileSync(go, '');
    expect(await exited(run), run.output()).toBe(0);
    await until(() => !runStates(ws.home).includes('running'), 60_000, 'both runs to finish');
    expect(lines(started).sort()).toEqual(['2024-04-20', latest].sort());
  });
});

function runStates(home: string): string[] {
  const db = stateDb(home);
  try {
    return db.prepare('SELECT state FROM dag_run').pluck().all() as string[];
  } finally {
    db.close();
  }
}
