// Which process forks the bash tasks: Python's spawner (os.posix_spawn, engine/spawner/forker-py.ts) where python3
// is on the PATH, the Node one (engine/spawner/main.ts) where it is not. What a task does is the same either way:
// its context variables, cwd, output (both streams, UTF-8) in the attempt log, the last line as its XCom, exit 99
// skipped, another code failed, a cwd that does not exist failed with the reason.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dag, workspace } from '../support/cli.js';
import { stateDb, taskStates } from '../support/state.js';
import { tempDir } from '../support/tmp.js';

/** A PATH holding bash and nothing else: no python3. */
function pathWithoutPython(): string {
  const bash = (process.env.PATH ?? '').split(':').map((d) => path.join(d, 'bash')).find((f) => fs.existsSync(f));
  const dir = tempDir('windsock-no-python-');
  fs.symlinkSync(fs.realpathSync(bash!), path.join(dir, 'bash'));
  return dir;
}

const cases = [
  { name: 'python3 on the PATH', forker: 'python', parent: /^parent python/, env: () => ({}) },
  { name: 'no python3 on the PATH', forker: 'node', parent: /^parent node$/, env: () => ({ PATH: pathWithoutPython() }) },
];

describe('the bash spawner', () => {
  for (const c of cases) {
    it(`${c.name}: forked by ${c.forker}, with the same task semantics`, async () => {
      const ws = workspace({}, c.env());
      const where = path.dirname(ws.home);
      fs.writeFileSync(path.join(ws.dags, 'sem.yaml'), `sem:
  schedule: null
  default_args: {start_date: 2024-01-01}
  tasks:
    - task_id: out
      operator: bash
      cwd: ${where}
      bash_command: 'echo "$AIRFLOW_CTX_DAG_ID.$AIRFLOW_CTX_TASK_ID try $AIRFLOW_CTX_TRY_NUMBER in $PWD"; echo "été ünï"; read -r comm < /proc/$PPID/comm; echo "parent $comm"'
    - {task_id: err, operator: bash, bash_command: 'echo "to stderr" >&2'}
    - {task_id: skip, operator: bash, bash_command: "exit 99"}
    - {task_id: fail, operator: bash, bash_command: "echo failing; exit 3"}
    - {task_id: nowhere, operator: bash, cwd: ${where}/missing, bash_command: "echo never"}
`);
      const r = await dag(ws, ['run', 'sem', '--date', '2024-04-20']);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(taskStates(ws.home, 'sem')).toEqual({ out: 'success', err: 'success', skip: 'skipped', fail: 'failed', nowhere: 'failed' });
      const logs = path.join(ws.home, 'logs/dag_id=sem/run_id=backfill__2024-04-20T00:00:00+00:00');
      const log = (task: string) => fs.readFileSync(path.join(logs, `task_id=${task}/attempt=1.log`), 'utf8');
      expect(log('out')).toContain(`{INFO} sem.out try 1 in ${where}\n`);
      expect(log('err')).toContain('{INFO} to stderr\n');
      expect(log('out')).toContain('{INFO} été ünï\n');
      const db = stateDb(ws.home);
      const xcom = db.prepare(`SELECT value FROM xcom WHERE dag_id = 'sem' AND task_id = 'out' AND key = 'return_value'`).pluck().get() as string;
      db.close();
      expect(JSON.parse(xcom)).toMatch(c.parent);
      expect(log('fail')).toContain('Command exited with return code 3');
      expect(log('nowhere')).toContain('could not start bash');
      expect(log('nowhere')).not.toContain('{INFO} never\n');
    }, 120_000);
  }
});
