// Bash tasks are forked by a small spawner process, not by the runner (engine/spawner). What a user relies on: a
// spawner that dies fails the attempts it was running, with the reason, and the retry runs on a fresh spawner; a
// `dag run` killed with SIGKILL leaves neither its spawner nor any task process behind.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dagAsync, exited, killedAfterEach, until, workspace } from '../support/cli.js';
import { dagInProcess } from '../support/in-process-cli.js';
import { lines, processGone } from '../support/processes.js';

const children = killedAfterEach();

/** "<try> <pid> <parent pid>" of each task start, as the commands wrote them. */
const starts = (file: string) => lines(file).map((l) => l.split(' ').map(Number));

describe('the bash spawner', () => {
  it('dies mid-run (killed by pid): the attempt fails saying so, and the retry succeeds on a fresh spawner', async () => {
    const ws = workspace();
    const file = path.join(path.dirname(ws.home), 'started');
    fs.writeFileSync(path.join(ws.dags, 'sp.yaml'), `sp:
  schedule: null
  default_args: {start_date: 2024-01-01}
  tasks:
    - task_id: hold
      operator: bash
      retries: 1
      retry_delay_sec: 0
      bash_command: 'echo "$AIRFLOW_CTX_TRY_NUMBER $$ $PPID" >> ${file}; if [ "$AIRFLOW_CTX_TRY_NUMBER" = 1 ]; then while true; do sleep 0.1; done; fi; echo second try'
`);
    const run = dagInProcess(ws, ['run', 'sp', '--date', '2024-04-20']);
    await until(() => starts(file).length === 1, 60_000, 'the first attempt to start');
    const [[, taskPid, spawnerPid]] = starts(file);
    expect(spawnerPid).not.toBe(process.pid); // forked by the spawner, not by the runner
    process.kill(spawnerPid, 'SIGKILL');
    const r = await run;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const reason = `the bash spawner (pid ${spawnerPid}) exited (SIGKILL) while the command ran; the command was killed with it`;
    expect(r.stdout).toContain(`hold up_for_retry (try 1): ${reason}`);
    await until(() => processGone(taskPid), 30_000, `the first attempt's command (pid ${taskPid}) to die with its spawner`);
    const [, second] = starts(file);
    expect(second[0]).toBe(2);
    expect(second[2]).not.toBe(spawnerPid); // a fresh spawner
    const logs = path.join(ws.home, 'logs/dag_id=sp/run_id=backfill__2024-04-20T00:00:00+00:00/task_id=hold');
    expect(fs.readFileSync(path.join(logs, 'attempt=1.log'), 'utf8')).toContain(reason);
    expect(fs.readFileSync(path.join(logs, 'attempt=2.log'), 'utf8')).toContain('second try');
  }, 120_000);

  it('`dag run` killed with SIGKILL while four bash tasks run leaves no spawner and no task process behind', async () => {
    const { run, spawner, tasks } = await fourTasks();
    run.kill('SIGKILL');
    await exited(run);
    const pids = [spawner, ...tasks];
    await until(() => pids.every(processGone), 30_000, `the spawner and the tasks (${pids.join(', ')}) to die with their runner`);
  }, 120_000);

  it('a spawner SIGKILLed while its runner cannot act (stopped) still takes its tasks with it', async () => {
    const { run, spawner, tasks } = await fourTasks();
    run.kill('SIGSTOP'); // only the spawner's tether can stop them now
    process.kill(spawner, 'SIGKILL');
    await until(() => tasks.every(processGone), 30_000, `the tasks (${tasks.join(', ')}) to die with their spawner`);
    run.kill('SIGKILL');
    await exited(run);
  }, 120_000);
});

/** `dag run` of four bash tasks that run until killed, once they have all started: the runner, its spawner, the tasks. */
async function fourTasks() {
  const ws = workspace({}, { WINDSOCK_PARALLELISM: '4' });
  const file = path.join(path.dirname(ws.home), 'started');
  const tasks = [1, 2, 3, 4].map((i) => `    - {task_id: t${i}, operator: bash, bash_command: 'echo "0 $$ $PPID" >> ${file}; while true; do sleep 0.1; done'}`);
  fs.writeFileSync(path.join(ws.dags, 'par.yaml'), `par:\n  schedule: null\n  default_args: {start_date: 2024-01-01}\n  tasks:\n${tasks.join('\n')}\n`);
  const run = dagAsync(ws, ['run', 'par', '--date', '2024-04-20']);
  children.push(run);
  await until(() => starts(file).length === 4, 60_000, 'the four tasks to start');
  const started = starts(file);
  const spawners = new Set(started.map(([, , ppid]) => ppid));
  expect(spawners.size, 'one spawner forks them all').toBe(1);
  expect(spawners.has(run.pid!), 'the runner forks none of them').toBe(false);
  return { run, spawner: [...spawners][0], tasks: started.map(([, pid]) => pid) };
}
