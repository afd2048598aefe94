// `dag backfill` end to end: concurrency limits checked in the state database and in what the tasks saw, resume after
// a kill, and the errors a user can make. The backfill a test kills, one that fails and the one measuring overlap are
// real `dag` processes; the others go through the same command tree in this process (tests/support/in-process-cli.ts).
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { dag, dagAsync, exited, until, workspace } from '../support/cli.js';
import { dagInProcess } from '../support/in-process-cli.js';
import { stateDb } from '../support/state.js';
import { maxConcurrency, traced } from '../support/concurrency.js';

function daily(dir: string, extra = ''): string {
  return `daily:
  schedule: "@daily"
  catchup: false
  default_args: {start_date: 2024-01-01}
  ${extra}
  tasks:
    - task_id: work
      operator: bash
      bash_command: '${traced(path.join(dir, 'trace'), '{{ run_id }}', 'sleep 0.4')}'
    - {task_id: after, operator: bash, bash_command: 'echo "{{ ds }}" >> ${dir}/after', dependencies: [work]}
`;
}

/** The days whose `after` task is committed as successful. */
function recordedAfter(home: string): string[] {
  if (!fs.existsSync(path.join(home, 'windsock.db'))) return [];
  const db = stateDb(home);
  try {
    const rows = db
      .prepare(`SELECT substr(r.logical_date, 1, 10) AS day FROM task_instance t JOIN dag_run r ON r.dag_id = t.dag_id AND r.run_id = t.run_id
                WHERE t.task_id = 'after' AND t.state = 'success' ORDER BY day`)
      .all() as { day: string }[];
    return rows.map((r) => r.day);
  } catch {
    return []; // the schema may not be there yet
  } finally {
    db.close();
  }
}

describe('dag backfill', () => {
  it('runs every day in range, never more than --max-active-runs at once', async () => {
    const ws = workspace();
    const dir = path.dirname(ws.home);
    fs.writeFileSync(path.join(ws.dags, 'daily.yaml'), daily(dir));
    // a real process: tasks that must overlap are spawned slowly from the large test process on a busy machine
    const backfill = dag(ws, ['backfill', 'daily', '--from', '2024-03-01', '--to', '2024-03-10', '--max-active-runs', '3']);
    let maxRunning = 0;
    const poll = setInterval(() => {
      if (!fs.existsSync(path.join(ws.home, 'windsock.db'))) return;
      const db = stateDb(ws.home);
      try {
        maxRunning = Math.max(maxRunning, (db.prepare(`SELECT count(*) AS n FROM dag_run WHERE state = 'running'`).get() as { n: number }).n);
      } catch {
        // the schema may not be there yet
      } finally {
        db.close();
      }
    }, 20);
    const r = await backfill;
    clearInterval(poll);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const db = stateDb(ws.home);
    const runs = db.prepare(`SELECT run_id, state, run_type FROM dag_run ORDER BY logical_date`).all() as { run_id: string; state: string; run_type: string }[];
    db.close();
    expect(runs).toHaveLength(10);
    expect(runs[0].run_id).toBe('backfill__2024-03-01T00:00:00+00:00');
    expect(runs[9].run_id).toBe('backfill__2024-03-10T00:00:00+00:00');
    expect(runs.every((r) => r.state === 'success' && r.run_type === 'backfill')).toBe(true);
    expect(maxRunning).toBeLessThanOrEqual(3);
    expect(maxConcurrency(path.join(dir, 'trace'))).toBeLessThanOrEqual(3);
    expect(maxConcurrency(path.join(dir, 'trace'))).toBeGreaterThan(1); // really in parallel
    expect(fs.readFileSync(path.join(dir, 'after'), 'utf8').trim().split('\n').sort()).toHaveLength(10);
  });

  it('resumes after being killed, without re-running finished tasks', async () => {
    const ws = workspace();
    const dir = path.dirname(ws.home);
    fs.writeFileSync(path.join(ws.dags, 'daily.yaml'), daily(dir, 'max_active_runs: 1'));
    const child = dagAsync(ws, ['backfill', 'daily', '--from', '2024-03-01', '--to', '2024-03-06']);
    // Kill once some `after` tasks are *recorded* successful: a task killed between writing its file and committing
    // its state is rightly run again (at-least-once, as in Airflow), so only committed successes must not re-run.
    await until(() => recordedAfter(ws.home).length >= 3, 60_000, 'some runs to finish');
    child.kill('SIGKILL');
    await exited(child);
    const finished = recordedAfter(ws.home);
    expect(finished.length).toBeLessThan(6);
    const again = await dagInProcess(ws, ['backfill', 'daily', '--from', '2024-03-01', '--to', '2024-03-06']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain('6 of 6 run(s) succeeded');
    const after = fs.readFileSync(path.join(dir, 'after'), 'utf8').trim().split('\n');
    // every day ran, and each day whose `after` had committed before the kill ran exactly once
    expect([...new Set(after)].sort()).toEqual(['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04', '2024-03-05', '2024-03-06']);
    for (const day of finished) expect(after.filter((d) => d === day), day).toHaveLength(1);
  });

  it('exits 1 and lists the failed runs; --rerun-failed runs them again', async () => {
    const ws = workspace();
    const flag = path.join(path.dirname(ws.home), 'fixed');
    fs.writeFileSync(
      path.join(ws.dags, 'odd.yaml'),
      `odd:
  schedule: "@daily"
  default_args: {start_date: 2024-01-01}
  tasks:
    - task_id: t
      operator: bash
      bash_command: '[ -f ${flag} ] || [ "{{ ds }}" != "2024-03-02" ]'
`,
    );
    const r = await dag(ws, ['backfill', 'odd', '--from', '2024-03-01', '--to', '2024-03-03']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('2 of 3 run(s) succeeded');
    expect(r.stdout).toContain('backfill__2024-03-02T00:00:00+00:00');
    fs.writeFileSync(flag, '');
    const same = await dagInProcess(ws, ['backfill', 'odd', '--from', '2024-03-01', '--to', '2024-03-03']);
    expect(same.code).toBe(1); // a failed run stays failed unless asked
    const rerun = await dagInProcess(ws, ['backfill', 'odd', '--from', '2024-03-01', '--to', '2024-03-03', '--rerun-failed']);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('3 of 3 run(s) succeeded');
  });

  it('lists the runs with --dry-run and rejects bad ranges with exit 2', async () => {
    const ws = workspace();
    fs.writeFileSync(path.join(ws.dags, 'daily.yaml'), daily(path.dirname(ws.home)));
    const dry = await dagInProcess(ws, ['backfill', 'daily', '--from', '2024-03-01', '--to', '2024-03-03', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout.trim().split('\n')).toEqual([
      'backfill__2024-03-01T00:00:00+00:00  2024-03-01T00:00:00+00:00 -> 2024-03-02T00:00:00+00:00',
      'backfill__2024-03-02T00:00:00+00:00  2024-03-02T00:00:00+00:00 -> 2024-03-03T00:00:00+00:00',
      'backfill__2024-03-03T00:00:00+00:00  2024-03-03T00:00:00+00:00 -> 2024-03-04T00:00:00+00:00',
      '3 run(s) would be backfilled (dry run)',
    ]);
    const swapped = await dagInProcess(ws, ['backfill', 'daily', '--from', '2024-03-05', '--to', '2024-03-01']);
    expect(swapped.code).toBe(2);
    expect(swapped.stderr).toMatch(/--from 2024-03-05 is after --to 2024-03-01/);
    const early = await dagInProcess(ws, ['backfill', 'daily', '--from', '2023-12-01', '--to', '2024-01-05']);
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/before the DAG's start_date/);
  });
});
