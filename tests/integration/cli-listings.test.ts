// The inspection commands a data engineer reaches for first: dag list, list-import-errors, validate, tasks list /
// states-for-dag-run / test / clear, --version. Each listing command runs at least once as a child process (`dag run`
// does in dag-run.test.ts, --version as the built file itself); the other calls, the runs that set up a test's state
// included, go through the same command tree in this process (tests/support/in-process-cli.ts).
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { dag, workspace } from '../support/cli.js';
import { dagInProcess as dagIn } from '../support/in-process-cli.js';
import { ROOT } from '../support/paths.js';
import { stateDb, taskStates } from '../support/state.js';
import { tempDir } from '../support/tmp.js';

const CHAIN = `
chain:
  schedule: "@daily"
  timezone: Europe/Paris
  tags: [demo]
  default_args: {owner: ana, start_date: 2024-01-01}
  tasks:
    - {task_id: extract, operator: bash, bash_command: 'echo "rows for {{ ds_local }}"'}
    - {task_id: load, operator: bash, bash_command: 'echo loaded', dependencies: [extract]}
    - {task_id: report, operator: empty, dependencies: [load]}
`;

const BROKEN = `
broken:
  schedule: "not a cron"
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: a, operator: bash, bash_command: "true"}
`;

describe('dag list', () => {
  it('lists the DAGs with their owners, schedule and tags in every output format', async () => {
    const ws = workspace({ 'chain.yaml': CHAIN });
    const json = await dag(ws, ['list', '-o', 'json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      { dag_id: 'chain', fileloc: path.join(ws.dags, 'chain.yaml'), owners: 'ana', is_paused: false, schedule: '@daily', tags: ['demo'] },
    ]);
    expect(parseYaml((await dagIn(ws, ['list', '-o', 'yaml'])).stdout)).toEqual(JSON.parse(json.stdout));
    expect((await dagIn(ws, ['list', '-o', 'plain'])).stdout).toMatch(/^chain\s/m);
    const table = (await dagIn(ws, ['list'])).stdout.split('\n');
    expect(table[0]).toMatch(/^dag_id\s*\| fileloc/);
    expect((await dagIn(ws, ['list', '-o', 'xml'])).code).toBe(2);
  });

  it('sees a DAG file added, edited or broken since the last listing', async () => {
    const ws = workspace({ 'chain.yaml': CHAIN });
    const ids = async () => (JSON.parse((await dagIn(ws, ['list', '-o', 'json'])).stdout) as { dag_id: string; owners: string }[]).map((d) => `${d.dag_id}:${d.owners}`);
    expect((await ids())).toEqual(['chain:ana']);
    fs.writeFileSync(path.join(ws.dags, 'second.yaml'), CHAIN.replace('chain:', 'second:'));
    expect((await ids())).toEqual(['chain:ana', 'second:ana']);
    fs.writeFileSync(path.join(ws.dags, 'second.yaml'), CHAIN.replace('chain:', 'second:').replace('owner: ana', 'owner: bob'));
    expect((await ids())).toEqual(['chain:ana', 'second:bob']);
    fs.writeFileSync(path.join(ws.dags, 'broken.yaml'), BROKEN);
    const r = await dagIn(ws, ['list', '-o', 'json']);
    expect(r.stderr).toMatch(/Failed to load all files.*dag list-import-errors/);
    fs.rmSync(path.join(ws.dags, 'second.yaml'));
    expect((await ids())).toEqual(['chain:ana']);
  });
});

describe('broken DAG files', () => {
  it('list-import-errors and validate name the file and line, exit 1, and the good DAGs still run', async () => {
    const ws = workspace({ 'chain.yaml': CHAIN, 'broken.yaml': BROKEN });
    const errors = await dag(ws, ['list-import-errors', '-o', 'json']);
    expect(errors.code).toBe(1);
    const rows = JSON.parse(errors.stdout) as { filepath: string; error: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0].filepath).toBe(path.join(ws.dags, 'broken.yaml'));
    expect(rows[0].error).toMatch(/broken\.yaml:3:\d+: .*not a cron/);

    const v = await dag(ws, ['validate']);
    expect(v.code).toBe(1);
    expect(v.stdout + v.stderr).toMatch(/broken\.yaml:3:\d+/);
    expect((await dagIn(ws, ['validate', path.join(ws.dags, 'chain.yaml')])).code).toBe(0);

    expect((await dagIn(ws, ['run', 'chain', '--date', '2024-04-20'])).code).toBe(0);
    const run = await dagIn(ws, ['run', 'broken', '--date', '2024-04-20']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/DAG 'broken' is broken: .*broken\.yaml:3/);

    fs.rmSync(path.join(ws.dags, 'broken.yaml'));
    expect((await dagIn(ws, ['list-import-errors'])).code).toBe(0);
  });

  it('validates the shipped DAGs', async () => {
    const ws = workspace();
    const r = await dagIn(ws, ['validate', path.join(ROOT, 'dags')]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
});

describe('dag tasks', () => {
  it('lists task ids, as a tree, and with operators', async () => {
    const ws = workspace({ 'chain.yaml': CHAIN });
    expect((await dag(ws, ['tasks', 'list', 'chain'])).stdout).toBe('extract\nload\nreport\n');
    expect((await dagIn(ws, ['tasks', 'list', 'chain', '--tree'])).stdout).toBe('<Task(bash): extract>\n    <Task(bash): load>\n        <Task(empty): report>\n');
    expect(JSON.parse((await dagIn(ws, ['tasks', 'list', 'chain', '-o', 'json'])).stdout)).toEqual([
      { task_id: 'extract', operator: 'bash', upstream: '' },
      { task_id: 'load', operator: 'bash', upstream: 'extract' },
      { task_id: 'report', operator: 'empty', upstream: 'load' },
    ]);
  });

  it('states-for-dag-run finds the run by id or by the local date, with Airflow\'s columns', async () => {
    const ws = workspace({ 'chain.yaml': CHAIN });
    expect((await dagIn(ws, ['run', 'chain', '--date', '2024-04-20'])).code).toBe(0);
    const runId = 'backfill__2024-04-19T22:00:00+00:00';
    const byDate = JSON.parse((await dag(ws, ['tasks', 'states-for-dag-run', 'chain', '2024-04-20', '-o', 'json'])).stdout) as Record<string, unknown>[];
    const byId = JSON.parse((await dagIn(ws, ['tasks', 'states-for-dag-run', 'chain', runId, '-o', 'json'])).stdout) as Record<string, unknown>[];
    expect(byDate).toEqual(byId);
    expect(byId.map((r) => Object.keys(r))).toEqual(Array(3).fill(['dag_id', 'execution_date', 'task_id', 'state', 'start_date', 'end_date', 'try_number']));
    expect(byId.map((r) => [r.task_id, r.state, r.try_number, r.execution_date])).toEqual([
      ['extract', 'success', 1, '2024-04-19T22:00:00.000Z'],
      ['load', 'success', 1, '2024-04-19T22:00:00.000Z'],
      ['report', 'success', 1, '2024-04-19T22:00:00.000Z'],
    ].map(([t, s, n, d]) => [t, s, n, expect.stringMatching(new RegExp(`^${String(d).slice(0, 19)}`))]));
    const missing = await dagIn(ws, ['tasks', 'states-for-dag-run', 'chain', '2024-04-22']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no run '2024-04-22' for DAG 'chain'/);
  });

  it('tasks test runs one task with its log on stdout and records nothing', async () => {
    const ws = workspace({ 'chain.yaml': CHAIN });
    const tmp = tempDir();
    const r = await dag(ws, ['tasks', 'test', 'chain', 'extract', '2024-04-20'], { env: { TMPDIR: tmp } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('rows for 2024-04-20');
    expect(fs.readdirSync(tmp), 'a task that did not fail leaves no log folder behind').toEqual([]);
    const db = stateDb(ws.home);
    expect(db.prepare('SELECT count(*) AS n FROM task_instance').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM dag_run').get()).toEqual({ n: 0 });
    db.close();
  });

  it('tasks clear -t resets the matching task instances and their run, and the next dag run runs only those', async () => {
    const ws = workspace({ 'chain.yaml': CHAIN });
    expect((await dagIn(ws, ['run', 'chain', '--date', '2024-04-20'])).code).toBe(0);
    const c = await dagIn(ws, ['tasks', 'clear', 'chain', '-t', '^(load|report)$', '-s', '2024-04-20', '-e', '2024-04-20', '-y']);
    expect(c.code, c.stderr).toBe(0);
    expect(taskStates(ws.home, 'chain')).toEqual({ extract: 'success', load: null, report: null });
    const ends = () => {
      const db = stateDb(ws.home);
      try {
        return Object.fromEntries((db.prepare('SELECT task_id, end_date FROM task_instance').all() as { task_id: string; end_date: string }[]).map((r) => [r.task_id, r.end_date]));
      } finally {
        db.close();
      }
    };
    const db = stateDb(ws.home);
    expect(db.prepare('SELECT state FROM dag_run').get()).toEqual({ state: 'queued' });
    db.close();
    const before = ends();
    expect((await dagIn(ws, ['run', 'chain', '--date', '2024-04-20'])).code).toBe(0);
    const after = ends();
    expect(after.extract).toBe(before.extract); // not run again
    expect(taskStates(ws.home, 'chain')).toEqual({ extract: 'success', load: 'success', report: 'success' });
    expect(after.load > before.extract).toBe(true);
  });
});

describe('dag --version', () => {
  it('prints the package version', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await dagIn(workspace(), ['--version']);
    expect(r.stdout.trim()).toBe(version);
    expect(r.code).toBe(0);
  });

  it('is built executable, so `npx dag` can run it straight after npm ci', async () => {
    expect(fs.statSync(path.join(ROOT, 'dist/cli/main.js')).mode & 0o111).toBe(0o111);
    const r = await promisify(execFile)(path.join(ROOT, 'dist/cli/main.js'), ['--version'], { encoding: 'utf8' });
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('runs under `npx dag` from node_modules/.bin, without installing the project into the npx cache', async () => {
    // A project's own "bin" makes npm exec install the project into its npx cache first, even with --no (libnpmexec
    // forces yes for a local bin): a registry round trip per dependency, 25 s to 3 min on a first `npx dag`.
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const cache = workspace().home;
    const r = await promisify(execFile)('npx', ['--no', '--', 'dag', '--version'], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_cache: cache, npm_config_update_notifier: 'false' },
    });
    expect(r.stdout.trim()).toBe(version);
    expect(fs.existsSync(path.join(cache, '_npx'))).toBe(false);
  });
});
