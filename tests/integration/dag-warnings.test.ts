// DAG warnings: a task whose pool does not exist would wait forever; validate, list-import-errors and the scheduler's
// log say so, kept up to date when the DAGs folder is parsed and when pools change. The scheduler is a real `dag`
// process; the other commands go through the same command tree in this process (tests/support/in-process-cli.ts).
import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { dagAsync, exited, until, workspace, killedAfterEach } from '../support/cli.js';
import { dagInProcess } from '../support/in-process-cli.js';
import { stateDb } from '../support/state.js';

const POOLED = `pooled:
  schedule: "@daily"
  start_date: 2024-01-01
  catchup: false
  tasks:
    extract: {operator: bash, bash_command: echo hi, pool: api_pool}
    load: {operator: bash, bash_command: echo hi, dependencies: [extract]}
`;
const WARNING = "warning: Dag 'pooled' references non-existent pools: 'api_pool' (tasks extract would never run): create it with dag pools set api_pool SLOTS";

const children = killedAfterEach();

function warningRows(home: string): { dag_id: string; warning_type: string }[] {
  const db = stateDb(home);
  try {
    return db.prepare('SELECT dag_id, warning_type FROM dag_warning').all() as { dag_id: string; warning_type: string }[];
  } finally {
    db.close();
  }
}

describe('nonexistent pool', () => {
  it('validate prints the warning and still exits 0 (warnings alone are not problems)', async () => {
    const ws = workspace({ 'pooled.yaml': POOLED });
    const r = await dagInProcess(ws, ['validate']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(WARNING);
    expect(r.stdout).toContain('1 DAG(s) OK, 1 with warnings');
  }, 240_000);

  it('list-import-errors shows it; pools set clears it, pools delete brings it back (dag_warning table follows)', async () => {
    const ws = workspace({ 'pooled.yaml': POOLED });
    let r = await dagInProcess(ws, ['list-import-errors']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(WARNING);
    expect(warningRows(ws.home)).toEqual([{ dag_id: 'pooled', warning_type: 'nonexistent pool' }]);

    expect((await dagInProcess(ws, ['pools', 'set', 'api_pool', '2'])).code).toBe(0);
    expect(warningRows(ws.home)).toEqual([]);
    expect((await dagInProcess(ws, ['list-import-errors'])).stderr).not.toContain('warning');

    r = await dagInProcess(ws, ['pools', 'delete', 'api_pool']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(WARNING);
    expect(warningRows(ws.home)).toHaveLength(1);
    const v = await dagInProcess(ws, ['validate']);
    expect(v.stdout).toContain(WARNING);
  }, 240_000);

  it("the scheduler's log says it once, and says when a pool set elsewhere resolves it", async () => {
    const ws = workspace({ 'pooled.yaml': POOLED });
    const sched = dagAsync(ws, ['scheduler', '--tick', '200']);
    children.push(sched);
    await until(() => sched.output().includes(WARNING), 60_000, 'the warning in the log');
    expect((await dagInProcess(ws, ['pools', 'set', 'api_pool', '1'])).code).toBe(0);
    await until(() => sched.output().includes("DAG pooled: the nonexistent pool warning is resolved"), 60_000, 'the resolution in the log');
    expect(sched.output().split(WARNING).length - 1).toBe(1);
    sched.kill('SIGTERM');
    expect(await exited(sched)).toBe(0);
  }, 240_000);
});
