// A DAGs folder: every YAML file, recursively; a broken file never stops the others; a dag_id defined twice is a
// problem naming both files; defaults.yml files apply to the DAGs below them, the closest one winning.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDagFile, loadDagFolder } from '../../../engine/dag/index.js';
import { builtinRegistry, NOW, shown, writeFiles } from './helpers.js';

const dag = (id: string, extra = '') => `${id}:\n${extra}  tasks:\n    - {task_id: t, operator: bash, bash_command: echo ${id}}\n`;

describe('loadDagFolder', () => {
  const registry = builtinRegistry();

  it('loads the good files next to a broken one, and lists the files it read', () => {
    const dir = writeFiles({
      'a_good.yaml': dag('first'),
      'b_broken.yml': 'broken:\n  tasks: [\n',
      'nested/c_good.yaml': dag('second'),
      'nested/.hidden.yaml': dag('hidden'),
      'notes.txt': 'not a DAG',
    });
    const r = loadDagFolder(dir, registry, { now: NOW });
    expect(r.dags.map((d) => [d.dagId, path.relative(dir, d.fileloc)])).toEqual([
      ['first', 'a_good.yaml'],
      ['second', 'nested/c_good.yaml'],
    ]);
    expect(r.files.map((f) => path.relative(dir, f))).toEqual(['a_good.yaml', 'b_broken.yml', 'nested/c_good.yaml']);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].file).toBe(path.join(dir, 'b_broken.yml'));
    expect(r.problems[0].message).toMatch(/^invalid YAML: /);
  });

  it('a dag_id defined in two files: the first file keeps it, the second is a problem naming both', () => {
    const dir = writeFiles({ 'one.yaml': dag('shared'), 'two.yaml': `# comment\n${dag('shared')}${dag('other')}` });
    const r = loadDagFolder(dir, registry, { now: NOW });
    expect(r.dags.map((d) => [d.dagId, path.basename(d.fileloc)])).toEqual([
      ['shared', 'one.yaml'],
      ['other', 'two.yaml'],
    ]);
    expect(r.problems.map(shown)).toEqual([
      `two.yaml:2:1: DAG id 'shared' is already defined in ${path.join(dir, 'one.yaml')}:1: DAG ids must be unique across files; rename one of them`,
    ]);
    expect(r.problems[0].dagId).toBe('shared');
  });

  it('applies defaults.yml files from the folder down, the closest winning, under the file and the DAG', () => {
    const dir = writeFiles({
      'defaults.yml': 'default_args:\n  owner: root\n  start_date: 2024-01-01\n  retries: 1\ncatchup: false\n',
      'team/defaults.yaml': 'default_args:\n  owner: team\n',
      'team/defaults.yml': 'default_args:\n  owner: team_yml\n  retries: 2\n',
      'top.yaml': dag('top'),
      'team/dags.yaml': `default:\n  default_args:\n    retries: 3\n${dag('team_file')}${dag('team_own', '  default_args: {owner: mine}\n  catchup: true\n')}`,
    });
    const r = loadDagFolder(dir, registry, { now: NOW });
    expect(r.problems).toEqual([]);
    expect(r.files.map((f) => path.relative(dir, f))).toEqual(['team/dags.yaml', 'top.yaml']);
    expect(r.dags.map((d) => [d.dagId, d.owner, d.tasks[0].retries, d.catchup, d.startDate?.toISOString()])).toEqual([
      ['team_file', 'team_yml', 3, false, '2024-01-01T00:00:00.000Z'],
      ['team_own', 'mine', 3, true, '2024-01-01T00:00:00.000Z'],
      ['top', 'root', 1, false, '2024-01-01T00:00:00.000Z'],
    ]);
  });

  it('a broken defaults file is reported once, and the DAG files below it are reported as depending on it', () => {
    const dir = writeFiles({ 'sub/defaults.yml': 'default_args: [\n', 'sub/x.yaml': dag('x'), 'y.yaml': dag('y') });
    const r = loadDagFolder(dir, registry, { now: NOW });
    expect(r.dags.map((d) => d.dagId)).toEqual(['y']);
    expect(r.problems.map((p) => [path.relative(dir, p.file), p.message.replace(dir, '<dir>')])).toEqual([
      ['sub/defaults.yml', expect.stringMatching(/^invalid YAML: /)],
      ['sub/x.yaml', 'the defaults file <dir>/sub/defaults.yml has problems: fix it first (see its own errors)'],
    ]);
  });

  it('a problem in a defaults value points into the defaults file', () => {
    const dir = writeFiles({ 'defaults.yml': 'default_args:\n  retries: many\n', 'x.yaml': dag('x') });
    const r = loadDagFolder(dir, registry, { now: NOW });
    expect(r.problems.map(shown)).toEqual(["defaults.yml:2:12: DAG 'x': default_args.retries: expected a number, got 'many'"]);
  });

  it('loadDagFile applies the defaults of its own folder', () => {
    const dir = writeFiles({ 'defaults.yml': 'default_args: {owner: folder}\n', 'x.yaml': dag('x') });
    expect(loadDagFile(path.join(dir, 'x.yaml'), registry, { now: NOW }).dags[0].owner).toBe('folder');
  });

  it('a missing folder is one problem that says what to do', () => {
    const missing = path.join(writeFiles({}), 'nope');
    const r = loadDagFolder(missing, registry);
    expect(r).toEqual({
      dags: [],
      files: [],
      problems: [{ file: missing, line: null, column: null, message: `the DAGs folder ${missing} does not exist: create it or set WINDSOCK_DAGS_FOLDER` }],
    });
  });

  it('a dangling symlink is one problem for that file, not a crash', () => {
    const dir = writeFiles({ 'ok.yaml': dag('ok') });
    fs.symlinkSync(path.join(dir, 'gone.yaml'), path.join(dir, 'dangling.yaml'));
    const r = loadDagFolder(dir, registry);
    expect(r.dags.map((d) => d.dagId)).toEqual(['ok']);
    expect(r.problems.map(shown)).toEqual(['dangling.yaml:null:null: cannot read the file: it does not exist (a symlink to a missing file?)']);
  });
});
