// The one validator for names (DAG ids, task ids, run ids, pools, variable keys, user names): what it lets through
// can never leave a folder or make a file name the filesystem refuses; what it refuses is said on one line.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkName, maxNameBytes, MAX_COMPONENT_BYTES, requireName, type NameKind } from '../../../engine/dag/names.js';
import { attemptLogPath, AttemptLog } from '../../../engine/run/task-log.js';
import { runId } from '../../../engine/schedule/run-id.js';
import { LoadRawArgs } from '../../../tasks/lake/operator-spec.js';
import { tempDir } from '../../support/tmp.js';
import { loadText, shown } from './helpers.js';

const KINDS: NameKind[] = ['DAG id', 'task id', 'task group name', 'run id', 'pool', 'variable key', 'username'];

/** What must never pass, whatever the kind: traversal, separators, NUL and other control characters, unicode. */
const HOSTILE = [
  '',
  '.',
  '..',
  '/',
  '../etc',
  'a/b',
  '/../../../../../../../tmp/x',
  '..\\..\\windows',
  'a\\b',
  'a\0b',
  'a\nb',
  'a\rb',
  'a\tb',
  'a\x7fb',
  'a\x1bb',
  'a b',
  'é',
  'caf\u00e9',
  'a\u2028b',
  '\u{1F4A8}',
  'ｆｕｌｌ',
];

describe('checkName', () => {
  it('accepts the names people and Airflow write', () => {
    for (const kind of KINDS) for (const ok of ['openaq', 'load_raw', 'group.task', 'v2-final', 'A1']) expect(checkName(kind, ok), `${kind} ${ok}`).toBeNull();
    for (const id of ['manual__2024-04-20T10:00:00.123456+00:00', 'backfill__2024-04-19T22:00:00+00:00', 'scheduled__2024-01-01T00:00:00+00:00', 'my~run']) {
      expect(checkName('run id', id), id).toBeNull();
    }
    expect(checkName('username', 'ana@example.com')).toBeNull();
  });

  it('refuses traversal, separators, NUL, control characters and unicode for every kind, in one line', () => {
    for (const kind of KINDS) {
      for (const bad of HOSTILE) {
        const problem = checkName(kind, bad);
        expect(problem, `${kind} ${JSON.stringify(bad)}`).not.toBeNull();
        expect(problem!.split('\n')).toHaveLength(1);
        expect(problem).not.toMatch(/[\0\r\u2028]/);
        expect(problem!.startsWith(kind)).toBe(true);
      }
    }
    expect(checkName('run id', '/../../../../../../../tmp/x')).toBe(
      "run id '/../../../../../../../tmp/x' contains '/': use only letters, digits, '.', '_', '~', ':', '+' and '-'",
    );
    expect(checkName('run id', 'a\0b')).toBe(`run id "a\\u0000b" contains NUL: use only letters, digits, '.', '_', '~', ':', '+' and '-'`);
    expect(checkName('run id', 'a\nb')).toMatch(/^run id "a\\nb" contains newline:/);
    expect(checkName('pool', '')).toBe("pool is empty: use letters, digits, '.', '_' and '-'");
    expect(checkName('task id', '..')).toBe("task id '..' is not allowed: pick a name with letters or digits");
  });

  it("keeps ':', '+' and '~' for run ids only", () => {
    for (const kind of KINDS.filter((k) => k !== 'run id')) expect(checkName(kind, 'a:b+c'), kind).toMatch(/contains ':', '\+'/);
  });

  it('caps every kind in bytes, not characters', () => {
    for (const kind of KINDS) {
      const max = maxNameBytes(kind);
      expect(checkName(kind, 'a'.repeat(max)), kind).toBeNull();
      expect(checkName(kind, 'a'.repeat(max + 1)), kind).toBe(`${kind} '${'a'.repeat(40)}...' is ${max + 1} bytes long: the limit is ${max}`);
    }
    // 130 characters, 260 bytes: too long though under every cap in characters
    expect(checkName('DAG id', 'é'.repeat(130))).toMatch(/is 260 bytes long: the limit is 247$/);
    expect(checkName('run id', 'a'.repeat(300))).toMatch(/is 300 bytes long/);
  });

  it('refuses what is not a string', () => {
    expect(checkName('pool', 3)).toBe('pool must be a string, got number');
    expect(checkName('DAG id', null)).toBe('DAG id must be a string, got null');
  });

  it('requireName throws a UserError that says where the name came from', () => {
    expect(requireName('run id', 'ok')).toBe('ok');
    expect(() => requireName('run id', 'a/b', '--run-id')).toThrow(expect.objectContaining({ name: 'UserError', message: expect.stringMatching(/^--run-id: run id 'a\/b' contains '\/'/) }));
  });
});

describe('file names built from names', () => {
  const longest = (kind: NameKind) => 'x'.repeat(maxNameBytes(kind));

  it('stay under 255 bytes for the longest valid names, and fit on a real filesystem', async () => {
    const home = tempDir('windsock-names-');
    const file = attemptLogPath(home, longest('DAG id'), longest('run id'), longest('task id'), 2 ** 31);
    const parts = path.relative(path.join(home, 'logs'), file).split(path.sep);
    expect(parts.map((p) => p.split('=')[0])).toEqual(['dag_id', 'run_id', 'task_id', 'attempt']);
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThan(255);
    expect(Math.max(...parts.map((p) => Buffer.byteLength(p)))).toBe(MAX_COMPONENT_BYTES);
    const log = new AttemptLog(file);
    expect(await log.opened).toBeNull();
    log.info('written');
    await log.close();
    expect(fs.readFileSync(file, 'utf8')).toMatch(/\{INFO\} written/);
  });

  it('generated run ids are valid names whose folder names stay short, whatever the date', () => {
    for (const type of ['manual', 'scheduled', 'backfill'] as const) {
      for (const d of ['1970-01-01T00:00:00Z', '2024-04-19T22:00:00.123Z', '2024-04-20T10:00:00.999Z', '9999-12-31T23:59:59.999Z']) {
        const id = runId(type, new Date(d));
        expect(checkName('run id', id), id).toBeNull();
        expect(Buffer.byteLength(`run_id=${id}`)).toBeLessThan(255);
      }
    }
    expect(runId('manual', new Date('2024-04-20T10:00:00.123Z'))).toBe('manual__2024-04-20T10:00:00.123000+00:00');
  });

  it('attemptLogPath refuses any name that is not valid, and never leaves $home/logs', () => {
    const home = '/srv/windsock';
    for (const bad of HOSTILE) {
      expect(() => attemptLogPath(home, 'd', bad, 't', 1), JSON.stringify(bad)).toThrow(/no attempt log for this task: run id/);
      expect(() => attemptLogPath(home, bad, 'r', 't', 1), JSON.stringify(bad)).toThrow(/DAG id/);
      expect(() => attemptLogPath(home, 'd', 'r', bad, 1), JSON.stringify(bad)).toThrow(/task id/);
    }
    expect(() => attemptLogPath(home, 'x'.repeat(248), 'r', 't', 1)).toThrow(/bytes long/);
    expect(() => attemptLogPath(home, 'd', 'r', 't', -1)).toThrow(/try number -1/);
    expect(attemptLogPath(home, 'd', 'manual__2024-04-20T10:00:00+00:00', 't', 1)).toBe('/srv/windsock/logs/dag_id=d/run_id=manual__2024-04-20T10:00:00+00:00/task_id=t/attempt=1.log');
  });

  it('an attempt log that cannot be written says why instead of dropping its lines', async () => {
    const home = tempDir('windsock-names-');
    fs.writeFileSync(path.join(home, 'logs'), 'a file where the logs folder should be');
    const log = AttemptLog.forAttempt(home, { dagId: 'd', runId: 'r', taskId: 't', tryNumber: 1 });
    expect(await log.opened).toMatch(/^cannot write the attempt log .*attempt=1\.log: (ENOTDIR|EEXIST); check that WINDSOCK_HOME is writable/);
    const refused = AttemptLog.forAttempt(home, { dagId: 'd', runId: '../../x', taskId: 't', tryNumber: 1 });
    expect(await refused.opened).toMatch(/^no attempt log for this task: run id '\.\.\/\.\.\/x' contains '\/'/);
    await refused.close();
  });

  it('a lake source names a folder: it is capped like any other name', () => {
    expect(LoadRawArgs.safeParse({ source: 'a'.repeat(MAX_COMPONENT_BYTES) }).success).toBe(true);
    expect(LoadRawArgs.safeParse({ source: 'a'.repeat(MAX_COMPONENT_BYTES + 1) }).success).toBe(false);
    expect(LoadRawArgs.safeParse({ source: '../x' }).success).toBe(false);
  });
});

describe('names in DAG files', () => {
  const problemsOf = (text: string) => loadText(text).problems.map(shown);
  const task = (id: string, extra = '') => `    - {task_id: ${id}, operator: bash, bash_command: "true"${extra}}\n`;

  it('a DAG id or task id too long for its log folder is refused where it is written', () => {
    expect(problemsOf(`${'d'.repeat(247)}:\n  tasks:\n${task('t'.repeat(246))}`)).toEqual([]);
    expect(problemsOf(`${'d'.repeat(248)}:\n  tasks:\n${task('t')}`)).toEqual([`dag.yaml:1:1: DAG id '${'d'.repeat(40)}...' is 248 bytes long: the limit is 247`]);
    expect(problemsOf(`d:\n  tasks:\n${task('t'.repeat(247))}`)).toEqual([`dag.yaml:3:17: task id '${'t'.repeat(40)}...' is 247 bytes long: the limit is 246`]);
    // Airflow's own limit (250) no longer fits: dag_id= + 250 characters is 257 bytes
    expect(problemsOf(`${'d'.repeat(250)}:\n  tasks:\n${task('t')}`)[0]).toMatch(/is 250 bytes long: the limit is 247$/);
  });

  it('a task id made long by its group prefix is refused', () => {
    const text = `d:\n  task_groups:\n    - group_name: ${'g'.repeat(200)}\n  tasks:\n    - {task_id: ${'t'.repeat(50)}, operator: empty, task_group_name: ${'g'.repeat(200)}}\n`;
    expect(problemsOf(text)).toEqual([`dag.yaml:5:17: task id '${'g'.repeat(40)}...' is 251 bytes long: the limit is 246`]);
  });

  it('a pool name is checked in a task and in default_args', () => {
    expect(problemsOf(`d:\n  tasks:\n${task('t', ', pool: ../etc')}`)).toEqual([
      "dag.yaml:3:64: pool '../etc' contains '/': use only letters, digits, '.', '_' and '-'",
    ]);
    expect(problemsOf(`d:\n  default_args: {pool: "my pool"}\n  tasks:\n${task('a')}${task('b')}`)).toEqual([
      "dag.yaml:2:24: pool 'my pool' contains space: use only letters, digits, '.', '_' and '-'",
    ]);
    expect(problemsOf(`d:\n  tasks:\n${task('t', ', pool: etl_pool')}`)).toEqual([]);
  });
});
