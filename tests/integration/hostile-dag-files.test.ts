// Hostile files dropped into a DAGs folder, through the real CLI: `dag list` lists the good DAG, `dag
// list-import-errors` has one one-line row per bad file, `dag validate` one line per problem quoting nothing of the
// files, `dag run` of the good DAG succeeds, and a running scheduler records the bad files and keeps scheduling.
// `dag list` and the scheduler are real `dag` processes that must survive the files; the other commands go through
// the same command tree in this process (tests/support/in-process-cli.ts), without a Node start-up each.
import { execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { dag, dagAsync, exited, until, workspace, type Workspace, killedAfterEach } from '../support/cli.js';
import { dagInProcess } from '../support/in-process-cli.js';
import { stateDb } from '../support/state.js';
import { tempDir } from '../support/tmp.js';
import { dagRestricted, openToOthers } from '../support/restricted-cli.js';

const GOOD = `good:
  schedule: "@daily"
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: hello, operator: bash, bash_command: 'echo hello'}
`;

/** Nine levels of nine aliases: 9^9 strings from a file under 1 KB. */
function billionLaughs(): string {
  const names = 'abcdefghi';
  let s = `a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n`;
  for (let i = 1; i < 9; i++) s += `${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(', ')}]\n`;
  return s;
}

/** Hostile files next to good.yaml, the secret ones as symlinks to files outside the folder. */
async function addHostileFiles(ws: Workspace): Promise<string[]> {
  const outside = tempDir('windsock-secret-');
  const put = (name: string, text: string | Buffer) => fs.writeFileSync(path.join(ws.dags, name), text);
  put('laughs.yaml', billionLaughs());
  put('deep.yaml', `x:\n  params: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
  put('binary.yaml', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
  put('nul.yaml', 'x:\n  description: a\0b\n');
  put('huge.yaml', `x: "${'a'.repeat(11 * 1024 * 1024)}"\n`);
  put('tags.yaml', 'x: !!js/function "function () { return SECRET }"\n');
  fs.writeFileSync(path.join(outside, 'shadow'), 'root:$6$SECRETHASH:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n');
  fs.symlinkSync(path.join(outside, 'shadow'), path.join(ws.dags, 'shadow.yaml'));
  fs.writeFileSync(path.join(outside, 'notes.txt'), 'This is a README with SECRET text\nand a second SECRET line\n');
  fs.symlinkSync(path.join(outside, 'notes.txt'), path.join(ws.dags, 'notes.yaml'));
  await promisify(execFile)('mkfifo', [path.join(ws.dags, 'pipe.yaml')]);
  return ['binary.yaml', 'deep.yaml', 'huge.yaml', 'laughs.yaml', 'notes.yaml', 'nul.yaml', 'pipe.yaml', 'shadow.yaml', 'tags.yaml'];
}

function expectOneShortLine(text: string): void {
  expect(text.split('\n'), text.slice(0, 600)).toHaveLength(1);
  expect(text.length).toBeLessThan(600);
  expect(text).not.toMatch(/SECRET|lol|\[\[\[/);
}

const children = killedAfterEach();

describe('hostile DAG files', () => {
  it('cost one one-line import error each; list, validate and run of the good DAG carry on', async () => {
    const ws = workspace({ 'good.yaml': GOOD });
    const bad = await addHostileFiles(ws);

    const list = await dag(ws, ['list', '-o', 'json']);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as { dag_id: string }[]).map((r) => r.dag_id)).toEqual(['good']);
    expect(list.stderr).toMatch(/Failed to load all files/);

    const errors = await dagInProcess(ws, ['list-import-errors', '-o', 'json']);
    expect(errors.code).toBe(1);
    const rows = JSON.parse(errors.stdout) as { filepath: string; error: string }[];
    expect(rows.map((r) => path.basename(r.filepath))).toEqual(bad);
    for (const r of rows) {
      expectOneShortLine(r.error);
      expect(r.error.startsWith(r.filepath)).toBe(true);
    }
    const byFile = Object.fromEntries(rows.map((r) => [path.basename(r.filepath), r.error.slice(r.filepath.length)]));
    expect(byFile['laughs.yaml']).toMatch(/^:\d+:\d+: aliases and merge keys expand this file past .*billion laughs/);
    expect(byFile['deep.yaml']).toMatch(/^:2:\d+: maps and lists are nested too deeply/);
    expect(byFile['binary.yaml']).toMatch(/^:1:\d+: the file is not UTF-8 text/);
    expect(byFile['huge.yaml']).toMatch(/^: the file holds [\d,]+ bytes, more than the 10,485,760 \(10 MiB\)/);
    expect(byFile['pipe.yaml']).toMatch(/^: a named pipe \(FIFO\), not a file/);
    expect(byFile['shadow.yaml']).toMatch(/^:1:1: 2 top-level entries are not DAGs/);

    const v = await dagInProcess(ws, ['validate']);
    expect(v.code).toBe(1);
    const lines = v.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe(`${bad.length} problem(s) in ${bad.length} file(s); 1 DAG(s) OK`);
    expect(lines).toHaveLength(bad.length + 1);
    for (const l of lines) expectOneShortLine(l);
    expect(v.stderr).toBe('');

    // one file on its own: a symlink to a secret, and a FIFO (which must not block the read)
    const shadow = await dagInProcess(ws, ['validate', path.join(ws.dags, 'shadow.yaml')]);
    expect(shadow.code).toBe(1);
    expect(shadow.stdout).not.toMatch(/SECRET|root|daemon/);
    expect(shadow.stdout.trim().split('\n')).toHaveLength(2);
    const pipe = await dagInProcess(ws, ['validate', path.join(ws.dags, 'pipe.yaml')]);
    expect(pipe.stdout.trim().split('\n')).toEqual([`${path.join(ws.dags, 'pipe.yaml')}: a named pipe (FIFO), not a file: a DAG file is a regular YAML file (rename it or move it out of the DAGs folder)`, '1 problem(s) in 1 file(s); 0 DAG(s) OK']);

    const run = await dagInProcess(ws, ['run', 'good', '--date', '2024-04-20']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
  }, 300_000);

  it('a running scheduler records a hostile file dropped into the folder, stays up and keeps creating runs', async () => {
    const ws = workspace();
    const start = new Date(Math.floor(Date.now() / 1000) * 1000 - 4000).toISOString();
    fs.writeFileSync(
      path.join(ws.dags, 'tick.yaml'),
      `tick:\n  schedule: {__type__: datetime.timedelta, seconds: 1}\n  catchup: true\n  default_args: {start_date: "${start}"}\n  tasks:\n    - {task_id: a, operator: empty}\n`,
    );
    const sched = dagAsync(ws, ['scheduler', '--tick', '200']);
    children.push(sched);
    const db = () => (fs.existsSync(path.join(ws.home, 'windsock.db')) ? stateDb(ws.home) : null);
    const query = <T>(sql: string, fallback: T): T => {
      const d = db();
      if (!d) return fallback;
      try {
        return d.prepare(sql).all() as T;
      } catch {
        return fallback; // the scheduler has not migrated it yet
      } finally {
        d.close();
      }
    };
    const runCount = () => query<{ n: number }[]>(`SELECT count(*) AS n FROM dag_run WHERE dag_id = 'tick'`, [{ n: 0 }])[0].n;
    await until(() => runCount() >= 1, 60_000, 'a first run');

    fs.writeFileSync(path.join(ws.dags, 'laughs.yaml'), billionLaughs());
    fs.writeFileSync(path.join(ws.dags, 'deep.yaml'), `x: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    const files = () => query<{ filename: string }[]>('SELECT filename FROM import_error ORDER BY filename', []).map((r) => path.basename(r.filename));
    await until(() => files().length === 2, 60_000, 'both files recorded as import errors');
    expect(files()).toEqual(['deep.yaml', 'laughs.yaml']);
    expect(sched.exitCode, sched.output()).toBeNull();

    const before = runCount();
    await until(() => runCount() >= before + 2, 60_000, 'two more runs of the good DAG');
    expect(sched.exitCode, sched.output()).toBeNull();
    expect(sched.output()).not.toMatch(/windsock bug|RangeError|tick failed/);
    sched.kill('SIGTERM');
    expect(await exited(sched), sched.output()).toBe(0);
  }, 240_000);

  // Root reads a chmod 000 file anyway, so the CLI runs as `nobody` when the tests run as root (restricted-cli.ts).
  it('an unreadable DAG file is one problem naming the file and the fix, and the good DAG still lists', async () => {
    const ws = workspace({ 'good.yaml': GOOD, 'locked.yaml': GOOD.replace('good', 'locked') });
    expect((await dagInProcess(ws, ['list'])).code).toBe(0);
    openToOthers(ws.dags);
    fs.chmodSync(ws.home, 0o777);
    fs.chmodSync(path.join(ws.home, 'windsock.db'), 0o666);
    fs.chmodSync(path.join(ws.dags, 'locked.yaml'), 0o000);
    const v = await dagRestricted(ws, ['validate'], { unprivileged: true });
    expect(v.code, v.stderr).toBe(1);
    expect(`${v.stdout}${v.stderr}`).toMatch(/locked\.yaml: cannot read the file: permission denied \(make it readable by the user running windsock\)/);
    const list = await dagRestricted(ws, ['list', '-o', 'json'], { unprivileged: true });
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as { dag_id: string }[]).map((d) => d.dag_id)).toEqual(['good']);
  });
});
