// What a user can type that windsock must refuse, through the real CLI: names that would leave $WINDSOCK_HOME or make
// a file name too long, empty or backwards dates, a missing DAGs folder. Each refusal is one line and exit 2, and
// leaves nothing behind. Each family of refusals goes once through a real `dag` process (stderr, exit code) and its
// other cases, and the commands a test only needs to succeed, through the same command tree in this process
// (tests/support/in-process-cli.ts). A task whose log cannot be written, the scheduler and simultaneous triggers are
// real processes: what they print goes through the engine's logger, or the test is about separate processes.
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { dag, dagAsync, exited, until, workspace, type CliResult, killedAfterEach } from '../support/cli.js';
import { dagInProcess as dagIn } from '../support/in-process-cli.js';
import { taskStates } from '../support/state.js';

const GOOD = `
good:
  schedule: "@daily"
  catchup: false
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: hello, operator: bash, bash_command: "echo hello from {{ run_id }}"}
`;

/** One line on stderr starting with "error: ", exit 2. */
function refused(r: CliResult, pattern: RegExp): void {
  expect(r.code, r.stderr + r.stdout).toBe(2);
  expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(/^error: /);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/windsock bug|at .*\.js:\d+/);
}

/** `dag` for each argument list: the first as a child process, the others in this process (one Node start-up). */
async function dags(ws: ReturnType<typeof workspace>, cases: string[][], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<CliResult[]> {
  const out: CliResult[] = [];
  for (const [i, args] of cases.entries()) out.push(await (i === 0 ? dag(ws, args, opts) : dagIn(ws, args, opts)));
  return out;
}

/** Generous: every case is a CLI process, and the machine is shared. */
const SLOW = 300_000;

async function runIds(ws: ReturnType<typeof workspace>, dagId = 'good'): Promise<string[]> {
  const r = await dagIn(ws, ['list-runs', dagId, '-o', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { run_id: string }[]).map((x) => x.run_id);
}

const children = killedAfterEach();

describe('run ids, DAG ids, task ids and pools on the command line', () => {
  it('trigger --run-id refuses traversal, separators, control characters, unicode, empty and over-long ids', async () => {
    const ws = workspace({ 'good.yaml': GOOD });
    const root = path.dirname(ws.home);
    const escape = `/${'../'.repeat(30)}${root.slice(1)}/escaped`;
    const bad = [escape, '..', '', 'a\\b', 'a\nb', 'run\u00e9', '\u{1F4A8}', 'a'.repeat(248)];
    for (const r of await dags(ws, bad.map((id) => ['trigger', 'good', '--run-id', id]))) refused(r, /--run-id: run id .*(contains|is empty|is not allowed|bytes long)/);
    expect(await runIds(ws)).toEqual([]);
    expect(fs.existsSync(path.join(root, 'escaped'))).toBe(false);
    // the longest valid run id, with Airflow's ':' and '+', is taken as is
    const longest = `manual__2024-04-20T10:00:00+00:00_${'x'.repeat(247 - 35)}`;
    const ok = await dagIn(ws, ['trigger', 'good', '--run-id', longest, '-o', 'json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(await runIds(ws)).toEqual([longest]);
  }, SLOW);

  it('every flag and argument that takes a name refuses one with a "/" before touching anything', async () => {
    const ws = workspace({ 'good.yaml': GOOD });
    const bad = '../x';
    const cases: [string[], RegExp][] = [
      [['run', bad, '--date', '2024-01-02'], /DAG id '\.\.\/x' contains '\/'/],
      [['backfill', bad, '--from', '2024-01-02', '--to', '2024-01-03'], /DAG id '\.\.\/x' contains '\/'/],
      [['trigger', bad], /DAG id '\.\.\/x' contains '\/'/],
      [['pause', bad], /DAG id '\.\.\/x' contains '\/'/],
      [['unpause', bad], /DAG id '\.\.\/x' contains '\/'/],
      [['next-execution', bad], /DAG id '\.\.\/x' contains '\/'/],
      [['list-runs', bad], /DAG id '\.\.\/x' contains '\/'/],
      [['tasks', 'list', bad], /DAG id '\.\.\/x' contains '\/'/],
      [['tasks', 'clear', bad, '-y'], /DAG id '\.\.\/x' contains '\/'/],
      [['tasks', 'states-for-dag-run', bad, 'r'], /DAG id '\.\.\/x' contains '\/'/],
      [['tasks', 'states-for-dag-run', 'good', bad], /run id '\.\.\/x' contains '\/'.*not a date either/],
      [['tasks', 'test', bad, 'hello', '2024-01-02'], /DAG id '\.\.\/x' contains '\/'/],
      [['tasks', 'test', 'good', bad, '2024-01-02'], /task id '\.\.\/x' contains '\/'/],
      [['trigger', 'good', '--run-id', bad], /--run-id: run id '\.\.\/x' contains '\/'/],
      [['pools', 'set', bad, '3'], /pool '\.\.\/x' contains '\/'/],
      [['pools', 'delete', bad], /pool '\.\.\/x' contains '\/'/],
    ];
    const results = await dags(ws, cases.map(([args]) => args));
    cases.forEach(([, pattern], i) => refused(results[i]!, pattern));
    expect(await runIds(ws)).toEqual([]);
    expect(fs.existsSync(path.join(ws.home, 'logs'))).toBe(false);
  }, SLOW);

  it('pools set refuses bad pool names and slot counts, including empty ones', async () => {
    const ws = workspace({ 'good.yaml': GOOD });
    const names = ['', 'a b', 'a:b', 'é', 'p'.repeat(251)];
    for (const r of await dags(ws, names.map((n) => ['pools', 'set', n, '3']))) refused(r, /^error: pool /);
    for (const r of await dags(ws, ['', '-1', '1.5', 'many'].map((n) => ['pools', 'set', 'etl', n]))) refused(r, /SLOTS .* is not a whole number >= 0: e.g. dag pools set etl 4/);
    const ok = await dagIn(ws, ['pools', 'set', 'p'.repeat(250), '3']);
    expect(ok.code, ok.stderr).toBe(0);
    const list = JSON.parse((await dagIn(ws, ['pools', 'list', '-o', 'json'])).stdout) as { pool: string }[];
    expect(list.map((p) => p.pool).sort()).toEqual(['default_pool', 'p'.repeat(250)]);
  }, SLOW);

  it('the longest DAG id and task id run and write their log; one byte more is refused at load', async () => {
    const dagId = 'd'.repeat(247);
    const taskId = 't'.repeat(246);
    const text = (d: string, t: string) => `${d}:\n  schedule: "@daily"\n  default_args: {start_date: 2024-01-01}\n  tasks:\n    - {task_id: ${t}, operator: bash, bash_command: "echo long names"}\n`;
    const ws = workspace({ 'long.yaml': text(dagId, taskId) });
    const r = await dagIn(ws, ['run', dagId, '--date', '2024-01-02']);
    expect(r.code, r.stderr).toBe(0);
    const log = path.join(ws.home, 'logs', `dag_id=${dagId}`, 'run_id=backfill__2024-01-02T00:00:00+00:00', `task_id=${taskId}`, 'attempt=1.log');
    expect(fs.readFileSync(log, 'utf8')).toMatch(/long names/);

    fs.writeFileSync(path.join(ws.dags, 'long.yaml'), text(`${dagId}d`, taskId));
    refused(await dagIn(ws, ['run', `${dagId}d`, '--date', '2024-01-02']), /DAG id 'd{40}\.\.\.' is 248 bytes long: the limit is 247/);
    fs.writeFileSync(path.join(ws.dags, 'long.yaml'), text(dagId, `${taskId}t`));
    refused(await dagIn(ws, ['run', dagId, '--date', '2024-01-03']), /task id 't{40}\.\.\.' is 247 bytes long: the limit is 246/);
  }, SLOW);

  it('a task whose log cannot be written fails before it starts, saying why, instead of succeeding silently', async () => {
    const ws = workspace({ 'good.yaml': GOOD });
    const marker = path.join(path.dirname(ws.home), 'ran.marker');
    fs.writeFileSync(path.join(ws.dags, 'good.yaml'), GOOD.replace('echo hello from {{ run_id }}', `touch ${marker}`));
    fs.mkdirSync(ws.home, { recursive: true });
    fs.writeFileSync(path.join(ws.home, 'logs'), 'a file where the logs folder should be');
    const r = await dag(ws, ['run', 'good', '--date', '2024-01-02']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/cannot write the attempt log .*attempt=1\.log: (ENOTDIR|EEXIST)/);
    expect(r.stdout).toMatch(/hello\s+failed/);
    expect(fs.existsSync(marker)).toBe(false);
  }, SLOW);

  it('a run id with a "/" already in the state database is failed by the scheduler, never logged outside $WINDSOCK_HOME', async () => {
    const ws = workspace({
      'manual.yaml': 'manual:\n  schedule: null\n  default_args: {start_date: 2024-01-01}\n  tasks:\n    - {task_id: hello, operator: bash, bash_command: "echo escaped"}\n',
    });
    const root = path.dirname(ws.home);
    const t = await dagIn(ws, ['trigger', 'manual', '--run-id', 'placeholder', '--logical-date', '2024-02-01']);
    expect(t.code, t.stderr).toBe(0);
    // An older windsock accepted any --run-id: put the issue's own example in the database by hand.
    const legacy = `/${'../'.repeat(30)}${root.slice(1)}/escaped`;
    const db = new Database(path.join(ws.home, 'windsock.db'));
    db.transaction(() => {
      db.prepare('UPDATE dag_run SET run_id = ? WHERE run_id = ?').run(legacy, 'placeholder');
      db.prepare('UPDATE task_instance SET run_id = ? WHERE run_id = ?').run(legacy, 'placeholder');
    })();
    db.close();
    const scheduler = dagAsync(ws, ['scheduler', '--tick', '200']);
    children.push(scheduler);
    await until(() => fs.existsSync(path.join(ws.home, 'windsock.db')) && taskStates(ws.home, 'manual').hello === 'failed', 90_000, 'the task to fail');
    expect(fs.existsSync(path.join(root, 'escaped'))).toBe(false);
    // The line reaches the pipe after the state is written: wait for it rather than read it at once.
    await until(() => /no attempt log for this task: run id .* contains '\/'/.test(scheduler.output()), 30_000, 'the scheduler to say why there is no log');
  }, SLOW);
});

describe('dates on the command line', () => {
  it('run --date, backfill --from and trigger --logical-date all refuse a date before start_date, and make no run', async () => {
    const ws = workspace({ 'good.yaml': GOOD });
    refused(await dag(ws, ['run', 'good', '--date', '1969-12-31']), /--date 1969-12-31 is before the DAG's start_date 2024-01-01T00:00:00\+00:00/);
    refused(await dagIn(ws, ['run', 'good', '--date', '2023-12-31T23:59:59Z']), /before the DAG's start_date/);
    refused(await dagIn(ws, ['backfill', 'good', '--from', '2023-12-31', '--to', '2024-01-02']), /--from 2023-12-31 is before the DAG's start_date/);
    refused(await dagIn(ws, ['trigger', 'good', '--logical-date', '2023-12-31']), /--logical-date 2023-12-31 is before the DAG's start_date/);
    expect(await runIds(ws)).toEqual([]);
    const onStart = await dagIn(ws, ['run', 'good', '--date', '2024-01-01']);
    expect(onStart.code, onStart.stderr).toBe(0);
  }, SLOW);

  it('every date flag and argument refuses an empty date instead of reading it as "now"', async () => {
    const ws = workspace({ 'good.yaml': GOOD });
    const cases: string[][] = [
      ['trigger', 'good', '--logical-date', ''],
      ['trigger', 'good', '--logical-date', '  '],
      ['next-execution', 'good', '--now', ''],
      ['run', 'good', '--date', ''],
      ['backfill', 'good', '--from', '', '--to', '2024-01-02'],
      ['backfill', 'good', '--from', '2024-01-02', '--to', ''],
      ['tasks', 'clear', 'good', '-s', '', '-y'],
      ['tasks', 'clear', 'good', '-e', '', '-y'],
      ['tasks', 'test', 'good', 'hello', ''],
    ];
    for (const r of await dags(ws, cases)) refused(r, /'\s*' is not a date: use YYYY-MM-DD or an ISO 8601 datetime/);
    refused(await dagIn(ws, ['tasks', 'states-for-dag-run', 'good', '']), /run id is empty.*not a date either/);
    expect(await runIds(ws)).toEqual([]);
  }, SLOW);

  it('tasks clear refuses -s after -e, as backfill refuses --from after --to', async () => {
    const ws = workspace({ 'good.yaml': GOOD });
    expect((await dagIn(ws, ['run', 'good', '--date', '2024-01-02'])).code).toBe(0);
    refused(await dagIn(ws, ['tasks', 'clear', 'good', '-s', '2024-02-01', '-e', '2024-01-01', '-y']), /-s 2024-02-01 is after -e 2024-01-01: swap them/);
    refused(await dagIn(ws, ['backfill', 'good', '--from', '2024-02-01', '--to', '2024-01-01']), /--from 2024-02-01 is after --to 2024-01-01: swap them/);
    expect(taskStates(ws.home, 'good')).toEqual({ hello: 'success' });
  }, SLOW);

  it('triggers at the same moment make distinct runs; an explicit date or run id that exists is refused', async () => {
    const ws = workspace({ 'good.yaml': GOOD });
    const all = await Promise.all([1, 2, 3].map(() => dag(ws, ['trigger', 'good', '-o', 'json'])));
    for (const r of all) expect(r.code, r.stderr).toBe(0);
    const rows = all.map((r) => (JSON.parse(r.stdout) as { dag_run_id: string; logical_date: string }[])[0]);
    expect(new Set(rows.map((r) => r.dag_run_id)).size).toBe(3);
    expect(new Set(rows.map((r) => r.logical_date)).size).toBe(3);
    for (const r of rows) expect(r.dag_run_id).toBe(`manual__${r.logical_date}`);
    expect((await runIds(ws)).length).toBe(3);

    expect((await dagIn(ws, ['trigger', 'good', '--logical-date', '2024-03-01T10:00:00.250Z'])).code).toBe(0);
    expect((await dagIn(ws, ['trigger', 'good', '--logical-date', '2024-03-01T10:00:00.750Z'])).code).toBe(0);
    refused(await dagIn(ws, ['trigger', 'good', '--logical-date', '2024-03-01T10:00:00.250Z']), /already exists: pass another --logical-date/);
    expect((await dagIn(ws, ['trigger', 'good', '--run-id', 'nightly-fix'])).code).toBe(0);
    refused(await dagIn(ws, ['trigger', 'good', '--run-id', 'nightly-fix']), /run id nightly-fix already exists: pass another --run-id/);
  }, SLOW);
});

describe('the DAGs folder', () => {
  it('a missing DAGs folder is an error for listings and for commands that need a DAG, not an empty list', async () => {
    const ws = workspace({}, {});
    const env = { WINDSOCK_DAGS_FOLDER: path.join(ws.dags, 'nope') };
    const cases = [['list'], ['list-import-errors'], ['run', 'good', '--date', '2024-01-02'], ['trigger', 'good'], ['tasks', 'list', 'good']];
    for (const r of await dags(ws, cases, { env })) refused(r, /the DAGs folder .*nope does not exist: create it, or point WINDSOCK_DAGS_FOLDER/);
    refused(await dagIn(ws, ['--dags-folder', path.join(ws.dags, 'nope'), 'list']), /nope does not exist/);
    // an empty folder that exists is an empty list
    const empty = await dagIn(ws, ['list', '-o', 'json']);
    expect(empty.code, empty.stderr).toBe(0);
    expect(JSON.parse(empty.stdout)).toEqual([]);
  }, SLOW);
});
