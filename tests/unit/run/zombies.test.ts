// Zombie detection (as Airflow's scheduler purges zombies) on a real state database: a running task instance whose runner's process is
// gone, whose runner is alive but stopped heartbeating, or whose own heartbeat is too old.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { Store } from '../../../engine/state/store.js';
import { findZombies } from '../../../engine/run/zombies.js';
import { RunLoop } from '../../../engine/run/run-loop.js';
import { Executor } from '../../../engine/run/executor.js';
import { tempDir } from '../../support/tmp.js';
import { builtinRegistry, loadText } from '../dag/helpers.js';

const T0 = new Date('2024-04-20T10:00:00Z');

function setup() {
  const store = Store.open(tempDir());
  const task = (taskId: string) => ({ taskId, operator: 'bash', pool: 'default_pool', poolSlots: 1, priorityWeight: 1, maxTries: 1 });
  store.runs.create(
    { dagId: 'd', runId: 'r', runType: 'scheduled', logicalDate: T0, dataIntervalStart: T0, dataIntervalEnd: new Date(T0.getTime() + 86_400_000), conf: {}, externalTrigger: false },
    ['healthy', 'dead_pid', 'silent_job', 'stale_ti', 'done'].map(task),
  );
  return store;
}

describe('findZombies', () => {
  it('finds the attempts whose process is gone or whose heartbeats stopped, and only those, and says which', async () => {
    const store = setup();
    const now = new Date();
    const alive = store.jobs.start('SchedulerJob');
    const dead = store.jobs.start('SchedulerJob');
    const gonePid = await deadPid(); // exited and reaped: nobody has this pid now
    store.db.prepare('UPDATE job SET pid = ? WHERE id = ?').run(gonePid, dead);
    const silent = store.jobs.start('SchedulerJob');
    store.jobs.heartbeat(silent, new Date(now.getTime() - 120_000));

    const start = (taskId: string, jobId: number) => store.tis.start({ dagId: 'd', runId: 'r', taskId }, { hostname: 'h', pid: process.pid, jobId });
    start('healthy', alive);
    start('dead_pid', dead);
    start('silent_job', silent);
    start('stale_ti', alive);
    start('done', alive);
    store.tis.finish({ dagId: 'd', runId: 'r', taskId: 'done' }, 'success');
    store.tis.heartbeat(alive, now);
    store.db.prepare(`UPDATE task_instance SET last_heartbeat_at = ? WHERE task_id = 'stale_ti'`).run(new Date(now.getTime() - 400_000).toISOString());

    const zombies = findZombies(store, now, 300_000);
    expect(Object.fromEntries(zombies.map((z) => [z.task_id, z.reason]))).toEqual({
      dead_pid: `its process (pid ${gonePid} on ${store.jobs.get(dead)!.hostname}) is gone`,
      silent_job: `its process (pid ${process.pid} on ${store.jobs.get(silent)!.hostname}) is alive but stopped heartbeating (last heartbeat ${store.jobs.get(silent)!.latest_heartbeat})`,
      stale_ti: expect.stringMatching(/^no heartbeat since /),
    });
    store.close();
  });
});

describe('failZombie', () => {
  it('sends a zombie through the failure path: up_for_retry while retries remain, else failed', async () => {
    const { dags } = loadText(`z:
  schedule: null
  default_args: {start_date: 2024-01-01, retry_delay: 60}
  tasks:
    - {task_id: retried, operator: bash, bash_command: "sleep 100", retries: 1}
    - {task_id: last_try, operator: bash, bash_command: "sleep 100"}
`);
    const dag = dags[0]!;
    const store = Store.open(tempDir());
    const task = (taskId: string, maxTries: number) => ({ taskId, operator: 'bash', pool: 'default_pool', poolSlots: 1, priorityWeight: 1, maxTries });
    store.runs.create(
      { dagId: 'z', runId: 'r', runType: 'scheduled', logicalDate: T0, dataIntervalStart: T0, dataIntervalEnd: T0, conf: {}, externalTrigger: false },
      [task('retried', 1), task('last_try', 0)],
    );
    const dead = store.jobs.start('SchedulerJob');
    store.db.prepare('UPDATE job SET pid = ? WHERE id = ?').run(await deadPid(), dead);
    for (const t of ['retried', 'last_try']) store.tis.start({ dagId: 'z', runId: 'r', taskId: t }, { hostname: 'h', pid: 1, jobId: dead });

    const executor = new Executor({ plugins: [] });
    const loop = new RunLoop({ store, executor, registry: builtinRegistry(), home: tempDir(), parallelism: 4, jobId: null });
    const before = Date.now();
    for (const z of findZombies(store, new Date(), 300_000)) loop.failZombie(dag, z);
    await executor.close();

    const retried = store.tis.get({ dagId: 'z', runId: 'r', taskId: 'retried' })!;
    expect(retried.state).toBe('up_for_retry');
    expect(Date.parse(retried.next_retry_at!)).toBeGreaterThanOrEqual(before + 60_000 - 1000);
    expect(store.tis.get({ dagId: 'z', runId: 'r', taskId: 'last_try' })!.state).toBe('failed');
    expect(store.tis.history({ dagId: 'z', runId: 'r', taskId: 'retried' }).map((h) => h.state)).toEqual(['up_for_retry']);
    store.close();
  });
});

/** The pid of a process that has exited and been reaped: nobody has it now. */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('true');
    child.on('error', reject);
    child.on('exit', () => resolve(child.pid!));
  });
}
