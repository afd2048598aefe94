// Ordinary problems with where windsock keeps things (WINDSOCK_HOME, the state database, the warehouse file, the lake
// and log folders) end the command with one line saying what and what to do, exit 2: never "windsock bug" and a
// stack trace, which are for bugs. Each is made for real: files in the way, real permission failures, damaged files.
// Each family of problems goes once through a real `dag` process (stderr, exit code), and the commands that must run
// as another user are real processes; the others go through the same command tree in this process
// (tests/support/in-process-cli.ts), without a Node start-up each.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dag, workspace, type CliResult, type Workspace } from '../support/cli.js';
import { dagInProcess } from '../support/in-process-cli.js';
import { dagRestricted, openToOthers, unwritable } from '../support/restricted-cli.js';

const BASH = `
two:
  schedule: "@daily"
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: a, operator: bash, bash_command: "echo a"}
    - {task_id: b, operator: bash, bash_command: "echo b", dependencies: [a]}
`;

/** The command ended with one line of its own, exit 2, and nothing that looks like a bug report. */
function oneLine(r: CliResult, pattern: RegExp): void {
  const lines = r.stderr.trim().split('\n');
  expect(r.stderr).not.toMatch(/windsock bug|\n\s+at /);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.code, r.stderr).toBe(2);
}

/** A workspace whose state database exists (one run recorded), for damaging it. */
async function withHistory(): Promise<Workspace & { db: string }> {
  const ws = workspace({ 'two.yaml': BASH });
  expect((await dagInProcess(ws, ['run', 'two', '--date', '2024-03-01'])).code).toBe(0);
  return { ...ws, db: path.join(ws.home, 'windsock.db') };
}

describe('WINDSOCK_HOME that cannot be used', () => {
  it('is a file', async () => {
    const ws = workspace({ 'two.yaml': BASH });
    fs.writeFileSync(path.join(path.dirname(ws.home), 'file'), 'x');
    oneLine(await dag(ws, ['--home', path.join(path.dirname(ws.home), 'file'), 'list']), /^error: WINDSOCK_HOME .*\/file is not a folder: .*EEXIST.*; set WINDSOCK_HOME \(or --home\) to a folder$/);
    oneLine(await dagInProcess(ws, ['list'], { env: { WINDSOCK_HOME: '/etc/passwd' } }), /^error: WINDSOCK_HOME \/etc\/passwd is not a folder/);
  });

  it("has a file where its parent folder should be", async () => {
    const ws = workspace({ 'two.yaml': BASH });
    oneLine(await dagInProcess(ws, ['--home', '/etc/passwd/home', 'list']), /^error: WINDSOCK_HOME \/etc\/passwd\/home is not a folder: a part of the path is a file, not a folder \(ENOTDIR\)/);
  });

  it('is not writable, or its parent is not (so it cannot be made)', async () => {
    const ws = workspace({ 'two.yaml': BASH });
    openToOthers(ws.dags);
    unwritable(ws.home);
    oneLine(await dagRestricted(ws, ['list'], { unprivileged: true }), /^error: cannot open the state database .*\/home\/windsock\.db: .*\/home is not writable \(permission denied \(EACCES\)\); make .*\/home writable by this user, or set WINDSOCK_HOME/);
    const below = path.join(ws.home, 'sub', 'home');
    oneLine(await dagRestricted(ws, ['list'], { unprivileged: true, env: { WINDSOCK_HOME: below } }), /^error: cannot create WINDSOCK_HOME .*\/home\/sub\/home: permission denied \(EACCES\)/);
  });

  it('is read-only with a state database in it: even `dag list` says so in one line', async () => {
    const ws = await withHistory();
    openToOthers(ws.dags);
    fs.chmodSync(ws.home, 0o755);
    if (process.getuid?.() !== 0) fs.chmodSync(ws.home, 0o555);
    for (const f of fs.readdirSync(ws.home)) fs.chmodSync(path.join(ws.home, f), fs.statSync(path.join(ws.home, f)).isDirectory() ? 0o755 : 0o444);
    oneLine(await dagRestricted(ws, ['list'], { unprivileged: true }), /^error: cannot (write|open) the state database .*windsock\.db: .*(SQLITE_READONLY|SQLITE_CANTOPEN|EACCES|not writable).*; make .* writable by this user/);
  });

  it('has its parent missing: it is made, folders and all', async () => {
    const ws = workspace({ 'two.yaml': BASH });
    const r = await dagInProcess(ws, ['list'], { env: { WINDSOCK_HOME: path.join(ws.home, 'a', 'b', 'c') } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('two');
  });
});

describe('a state database that cannot be used', () => {
  it('truncated to 0 bytes is refused loudly, not taken for a new empty history', async () => {
    const ws = await withHistory();
    fs.rmSync(`${ws.db}-wal`, { force: true });
    fs.rmSync(`${ws.db}-shm`, { force: true });
    fs.truncateSync(ws.db, 0);
    for (const [i, args] of [['list'], ['list-runs', 'two'], ['run', 'two', '--date', '2024-03-02']].entries()) {
      oneLine(await (i === 0 ? dag : dagInProcess)(ws, args), /^error: the state database .*windsock\.db is empty \(0 bytes\): it was truncated, and the history of every DAG run in it is gone; restore it from a backup, or move it away \(mv .*windsock\.db .*windsock\.db\.empty\) and run the command again to start afresh$/);
    }
    expect(fs.statSync(ws.db).size).toBe(0); // left as found, for the user to decide
    fs.renameSync(ws.db, `${ws.db}.empty`);
    expect((await dagInProcess(ws, ['list'])).code).toBe(0); // the way out the message gives works
  });

  it('truncated part way, or overwritten with garbage', async () => {
    const ws = await withHistory();
    const whole = fs.readFileSync(ws.db);
    fs.rmSync(`${ws.db}-wal`, { force: true });
    fs.rmSync(`${ws.db}-shm`, { force: true });
    const damaged = /^error: the state database .*windsock\.db is damaged or is not a windsock database: .*\((SQLITE_CORRUPT|SQLITE_NOTADB)\); restore it from a backup, or move it away \(mv .*windsock\.db .*windsock\.db\.damaged\) to start afresh with an empty history$/;
    for (const [i, size] of [50, 4096, Math.floor(whole.length / 2)].entries()) {
      fs.writeFileSync(ws.db, whole.subarray(0, size));
      oneLine(await (i === 0 ? dag : dagInProcess)(ws, ['list-runs', 'two']), damaged);
    }
    fs.writeFileSync(ws.db, Buffer.alloc(20_000, 0x5a));
    oneLine(await dagInProcess(ws, ['list']), damaged);
  });

  it('is a folder', async () => {
    const ws = workspace({ 'two.yaml': BASH });
    fs.mkdirSync(path.join(ws.home, 'windsock.db'), { recursive: true });
    oneLine(await dagInProcess(ws, ['list']), /^error: the state database .*windsock\.db is a folder, not a database file; move it away/);
  });
});

describe('other folders and files of the home', () => {
  it('an empty or garbage warehouse.duckdb: `dag warehouse query` says so in one line', async () => {
    const ws = workspace();
    fs.mkdirSync(ws.home, { recursive: true });
    const file = path.join(ws.home, 'warehouse.duckdb');
    fs.writeFileSync(file, '');
    oneLine(await dag(ws, ['warehouse', 'query', 'SELECT 1']), /^error: the warehouse .*warehouse\.duckdb is empty \(0 bytes\): move it away \(mv .*\) and load the days again/);
    fs.writeFileSync(file, Buffer.alloc(10_000, 7));
    oneLine(await dagInProcess(ws, ['warehouse', 'query', 'SELECT 1']), /^error: the warehouse .*warehouse\.duckdb is not a DuckDB database \(damaged, or another kind of file\): move it away/);
  });

  // An attempt whose log cannot be written fails before it starts (a task must never succeed with no log): the run
  // fails, and says which file and what to check, in words, not as a bug.
  it('an unwritable logs folder fails the tasks with the file and what to check, never a bug', async () => {
    const ws = workspace({ 'two.yaml': BASH });
    expect((await dagInProcess(ws, ['list'])).code).toBe(0);
    openToOthers(ws.dags);
    fs.chmodSync(ws.home, 0o777);
    fs.chmodSync(path.join(ws.home, 'windsock.db'), 0o666);
    unwritable(path.join(ws.home, 'logs'));
    const r = await dagRestricted(ws, ['run', 'two', '--date', '2024-03-01'], { unprivileged: true });
    expect(r.stderr).not.toMatch(/windsock bug/);
    expect(r.stderr).toMatch(/cannot write the attempt log \S+\/logs\/dag_id=two\/\S+\/attempt=1\.log: EACCES; check that WINDSOCK_HOME is writable/);
    expect(r.code, r.stderr).toBe(1);
  });
});
