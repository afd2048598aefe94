// One hostile file in a DAGs folder (a billion-laughs file, a 100 000-deep list, a binary, a FIFO, a symlink to a
// secret...) is one short import error for that file, found fast and in bounded memory; the good DAG next to it
// still loads, and no message quotes the file beyond a short, escaped excerpt.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadDagFile, loadDagFolder } from '../../../engine/dag/index.js';
import { fastYaml } from '../../../engine/dag/fast-yaml.js';
import { MAX_DEPTH, MAX_FILE_BYTES, MAX_PROBLEMS_PER_FILE } from '../../../engine/dag/limits.js';
import { Source } from '../../../engine/dag/located.js';
import { readYaml } from '../../../engine/dag/yaml-source.js';
import type { ImportProblem } from '../../../engine/types.js';
import { tempDir } from '../../support/tmp.js';
import { builtinRegistry, NOW, shown, writeFiles } from './helpers.js';

const GOOD = 'good:\n  tasks:\n    - {task_id: t, operator: bash, bash_command: echo hi}\n';
const registry = builtinRegistry();

/** Nine levels of nine aliases: 9^9 strings from a file under 1 KB. */
export function billionLaughs(style: 'flow' | 'block' = 'flow'): string {
  const names = 'abcdefghi';
  let s = `a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n`;
  for (let i = 1; i < 9; i++) {
    const refs = Array(9).fill(`*${names[i - 1]}`);
    s += style === 'flow' ? `${names[i]}: &${names[i]} [${refs.join(', ')}]\n` : `${names[i]}: &${names[i]}\n${refs.map((r) => `  - ${r}\n`).join('')}`;
  }
  return s;
}

/** A folder holding the good DAG and `bad`, loaded: the problems of bad.yaml (the good DAG must load). */
function loadNextToGood(bad: string | Buffer, name = 'bad.yaml'): ImportProblem[] {
  const dir = writeFiles({ 'good.yaml': GOOD });
  fs.writeFileSync(path.join(dir, name), bad);
  return loadWithGood(dir);
}

function loadWithGood(dir: string): ImportProblem[] {
  const r = loadDagFolder(dir, registry, { now: NOW });
  expect(r.dags.map((d) => d.dagId)).toEqual(['good']);
  expect(r.problems.filter((p) => path.basename(p.file) === 'good.yaml')).toEqual([]);
  for (const p of r.problems) expectShort(p);
  return r.problems;
}

/** One line, short, no control characters. */
function expectShort(p: ImportProblem): void {
  expect(p.message.length).toBeLessThanOrEqual(400);
  expect(p.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
}

describe('hostile DAG files: one short problem each, the good DAG still loads', () => {
  it('a billion-laughs file (aliases through the full parser) is refused at the alias that overflows it', () => {
    for (const style of ['flow', 'block'] as const) {
      const problems = loadNextToGood(billionLaughs(style));
      expect(problems).toHaveLength(1);
      expect(problems[0].message).toMatch(/^aliases and merge keys expand this file past [\d,]+ characters .*billion laughs/);
      expect(problems[0].line).toBeGreaterThan(1);
    }
  });

  it('the same bomb inside a DAG, and one built from merge keys (<<), are refused too', () => {
    const inDag = `x:\n  params:\n${billionLaughs().split('\n').filter(Boolean).map((l) => `    ${l}\n`).join('')}  tasks: []\n`;
    expect(loadNextToGood(inDag).map((p) => p.message)).toEqual([expect.stringMatching(/billion laughs/)]);
    // each level merges nine copies of the level below
    let merges = 'l0: &l0 {k: "lol"}\n';
    for (let i = 1; i < 12; i++) merges += `l${i}: &l${i}\n  <<: [${Array(9).fill(`*l${i - 1}`).join(', ')}]\n  sub: [${Array(9).fill(`*l${i - 1}`).join(', ')}]\n`;
    expect(loadNextToGood(merges).map((p) => p.message)).toEqual([expect.stringMatching(/billion laughs/)]);
  });

  it('the fast reader leaves anchors, aliases and merge keys (anywhere) to the full parser, which holds the limits', () => {
    const texts = [
      'a: &x 1\nb: *x\n',
      'a:\n  - &x 1\n  - *x\n',
      'a: [&x 1, *x]\n',
      'a: {k: &x 1, j: *x}\n',
      '&x a: 1\n',
      '*x : 1\n',
      'a: &x\n  k: 1\nb:\n  <<: *x\n',
      'a: {<<: {k: 1}}\n',
      billionLaughs('flow'),
      billionLaughs('block'),
    ];
    for (const t of texts) expect(fastYaml(new Source('x.yaml', t)), t).toBeNull();
    // and a plain file still takes the fast path
    expect(fastYaml(new Source('x.yaml', GOOD))).not.toBeNull();
  });

  it('100 000-deep flow lists and maps are one problem, not a stack overflow or a minutes-long parse', () => {
    for (const deep of ['['.repeat(100_000) + ']'.repeat(100_000), '{a: '.repeat(100_000) + '1' + '}'.repeat(100_000)]) {
      const problems = loadNextToGood(`x:\n  params: ${deep}\n`);
      expect(problems.map((p) => p.message)).toEqual([`maps and lists are nested too deeply (more than ${MAX_DEPTH} levels): a DAG file is a few levels of settings`]);
      expect(problems[0].line).toBe(2);
    }
    // nesting at the limit is fine; block nesting past it too is one problem
    const atLimit = readYaml(new Source('x.yaml', `x: ${'['.repeat(MAX_DEPTH - 1)}${']'.repeat(MAX_DEPTH - 1)}\n`));
    expect(atLimit.problems).toEqual([]);
    let block = 'x:\n';
    for (let i = 1; i <= MAX_DEPTH + 5; i++) block += `${' '.repeat(i)}k:\n`;
    expect(loadNextToGood(block).map((p) => p.message)).toEqual([expect.stringMatching(/nested too deeply/)]);
    let items = 'x:\n';
    for (let i = 1; i <= MAX_DEPTH + 5; i++) items += `${'  '.repeat(i)}- k:\n`;
    expect(loadNextToGood(items).map((p) => p.message)).toEqual([expect.stringMatching(/nested too deeply/)]);
  });

  it('a file over the size cap is one problem saying how big it is, without reading it', () => {
    const problems = loadNextToGood(`x: "${'a'.repeat(MAX_FILE_BYTES)}"\n`);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [null, 'the file holds 10,485,766 bytes, more than the 10,485,760 (10 MiB) a DAG file may hold: split it into several files, or move data out of the DAGs folder'],
    ]);
  });

  it('a 2 MB line, a 2 MB key and a 2 MB value are quoted in a few characters at most', () => {
    const long = 'S'.repeat(2_000_000);
    for (const text of [`x: ${long}: b\n`, `${long}:\n  tasks: []\n`, `x: "${long}"\n`, `x:\n  schedule: "${long}"\n  tasks: []\n`]) {
      const problems = loadNextToGood(text);
      expect(problems.length).toBeGreaterThanOrEqual(1);
      for (const p of problems) expect(p.message).not.toMatch(/S{101}/);
    }
  });

  it('a binary file, a Latin-1 file, a NUL byte and a control character are one problem each, at the byte', () => {
    const binary = Buffer.alloc(20_000);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919) % 256;
    const problems = loadNextToGood(binary);
    expect(problems.map((p) => p.message)).toEqual(['the file is not UTF-8 text (byte 0xEF): is it a binary file? DAG files are YAML saved as UTF-8']);
    expect(loadNextToGood(Buffer.from('x:\n  description: caf\xe9\n', 'latin1')).map(shown)).toEqual([
      'bad.yaml:2:19: the file is not UTF-8 text (byte 0xE9): is it a binary file? DAG files are YAML saved as UTF-8',
    ]);
    expect(loadNextToGood('x:\n  description: a\0b\n').map(shown)).toEqual(['bad.yaml:2:17: the file holds a NUL byte: is it a binary file? DAG files are YAML text']);
    expect(loadNextToGood('x:\n  description: a\x1bb\n').map(shown)).toEqual([
      'bad.yaml:2:17: the file holds the control character U+001B, which YAML does not allow: remove it (inside a double-quoted string, write it as an escape like \\x1b)',
    ]);
    // a BOM, CRLF line ends and a real U+FFFD are text
    const dir = writeFiles({ 'good.yaml': GOOD });
    fs.writeFileSync(path.join(dir, 'bom.yaml'), '\uFEFFbom:\r\n  description: "\uFFFD"\r\n  tasks: []\r\n');
    const r = loadDagFolder(dir, registry, { now: NOW });
    expect(r.problems).toEqual([]);
    expect(r.dags.map((d) => [d.dagId, d.description])).toEqual([['bom', '\uFFFD'], ['good', null]]);
  });

  it('a folder named x.yaml (or defaults.yml) is a folder: the DAGs inside it load', () => {
    const dir = writeFiles({ 'x.yaml/inner.yaml': GOOD.replace('good', 'inner'), 'defaults.yml/more.yaml': GOOD.replace('good', 'more') });
    const r = loadDagFolder(dir, registry, { now: NOW });
    expect(r.dags.map((d) => d.dagId)).toEqual(['more', 'inner']);
    expect(r.problems).toEqual([]);
  });

  it('a FIFO named x.yaml is one problem, read without blocking (in the folder and on its own)', async () => {
    const dir = writeFiles({ 'good.yaml': GOOD });
    const fifo = path.join(dir, 'pipe.yaml');
    await promisify(execFile)('mkfifo', [fifo]);
    const expected = 'pipe.yaml:null:null: a named pipe (FIFO), not a file: a DAG file is a regular YAML file (rename it or move it out of the DAGs folder)';
    expect(loadWithGood(dir).map(shown)).toEqual([expected]);
    expect(loadDagFile(fifo, registry).problems.map(shown)).toEqual([expected]);
    // a FIFO as a folder's defaults file, too
    fs.renameSync(fifo, path.join(dir, 'defaults.yml'));
    const r = loadDagFolder(dir, registry, { now: NOW });
    expect(r.problems.map(shown)).toEqual([
      expected.replace('pipe.yaml', 'defaults.yml'),
      `good.yaml:null:null: the defaults file ${path.join(dir, 'defaults.yml')} has problems: fix it first (see its own errors)`,
    ]);
  });

  it('a symlink to a file outside the folder is followed, and its content never quoted', () => {
    const outside = tempDir('windsock-secret-');
    const secrets = {
      'yamlish.txt': 'password: hunter2-SECRET\ntoken: SECRET-2\n',
      'text.txt': 'This is a README with SECRET text in it\n',
      'colons.txt': 'root:$6$SECRETHASH:19000:0:99999:7:::\n',
      'list.txt': '- SECRET one\n- SECRET two\n',
      'broken.txt': 'a: [SECRET\n',
      'shadow.txt': 'root:$6$SECRETHASH:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n',
    };
    for (const [name, text] of Object.entries(secrets)) {
      fs.writeFileSync(path.join(outside, name), text);
      const dir = writeFiles({ 'good.yaml': GOOD });
      fs.symlinkSync(path.join(outside, name), path.join(dir, 'linked.yaml'));
      const problems = loadWithGood(dir);
      expect(problems.length, name).toBeGreaterThanOrEqual(1);
      for (const p of problems) expect(p.message, name).not.toMatch(/SECRET|hunter2/);
    }
    const dir = writeFiles({ 'good.yaml': GOOD });
    fs.symlinkSync('/etc/passwd', path.join(dir, 'passwd.yaml'));
    for (const p of loadWithGood(dir)) expect(p.message).not.toMatch(/root|bin|nologin/);
  });

  it('a symlink loop and a dangling symlink are one problem each', () => {
    const dir = writeFiles({ 'good.yaml': GOOD });
    fs.symlinkSync(path.join(dir, 'loop2.yaml'), path.join(dir, 'loop1.yaml'));
    fs.symlinkSync(path.join(dir, 'loop1.yaml'), path.join(dir, 'loop2.yaml'));
    fs.symlinkSync(path.join(dir, 'nowhere.yaml'), path.join(dir, 'z_dangling.yaml'));
    fs.symlinkSync(dir, path.join(dir, 'self')); // a folder loop is walked once
    expect(loadWithGood(dir).map(shown)).toEqual([
      'loop1.yaml:null:null: cannot read the file: a symlink loop (the link points back at itself)',
      'loop2.yaml:null:null: cannot read the file: a symlink loop (the link points back at itself)',
      'z_dangling.yaml:null:null: cannot read the file: it does not exist (a symlink to a missing file?)',
    ]);
  });

  it('thousands of DAGs in one file load; thousands of broken ones are capped at 100 problems and a count', () => {
    const many = Array.from({ length: 1000 }, (_, i) => GOOD.replace('good', `d${i}`)).join('');
    const r = loadDagFolder(writeFiles({ 'many.yaml': many }), registry, { now: NOW });
    expect(r.dags).toHaveLength(1000);
    expect(r.problems).toEqual([]);
    const broken = Array.from({ length: 500 }, (_, i) => `d${i}:\n  tasks: 3\n  foo: 1\n`).join('');
    const problems = loadNextToGood(broken);
    expect(problems).toHaveLength(MAX_PROBLEMS_PER_FILE + 1);
    expect(problems.at(-1)!.message).toBe(`... and ${1000 - MAX_PROBLEMS_PER_FILE} more problem(s) in this file: fix the ones above, then run \`dag validate\` again`);
  });

  it('duplicate keys are a problem each, at the second key, the key quoted short', () => {
    const long = 'k'.repeat(300);
    expect(loadNextToGood(`x:\n  tasks: []\nx:\n  tasks: []\n${long}: 1\n${long}: 2\n`).map(shown)).toEqual([
      "bad.yaml:3:1: duplicate key 'x': keys of a map must be unique (two DAGs, tasks or settings with the same name?)",
      `bad.yaml:6:1: duplicate key '${'k'.repeat(40)}...': keys of a map must be unique (two DAGs, tasks or settings with the same name?)`,
    ]);
  });

  it('YAML tags (!!js/function, custom ones) are a problem each, the value not quoted', () => {
    expect(loadNextToGood('x: !!js/function "function () { return SECRET }"\ny: !custom {a: SECRET}\n').map(shown)).toEqual([
      "bad.yaml:1:4: unknown tag '!!js/function': DAG files hold plain values (strings, numbers, lists, maps), without YAML tags",
      "bad.yaml:2:4: unknown tag '!custom': DAG files hold plain values (strings, numbers, lists, maps), without YAML tags",
    ]);
  });

  it('a dag_id (or any key) that is a map or a list is one problem, not its JSON', () => {
    const msg = 'a key must be a name (a string), not a list or a map: DAG ids, task ids and settings are names';
    expect(loadNextToGood('? {a: SECRET}\n: {tasks: []}\n').map(shown)).toEqual([`bad.yaml:1:3: ${msg}`]);
    expect(loadNextToGood('? [SECRET, 2]\n: {tasks: []}\n').map(shown)).toEqual([`bad.yaml:1:3: ${msg}`]);
    expect(loadNextToGood(`base: &m {a: 1}\n*m : {tasks: []}\n`).map(shown)).toEqual([`bad.yaml:2:1: ${msg}`]);
    // a key that is a billion-laughs alias is refused by the budget before anything stringifies it
    expect(loadNextToGood(`${billionLaughs()}? *i\n: 1\n`).map((p) => p.message)).toEqual([expect.stringMatching(/billion laughs/)]);
  });

  it('values of the wrong kind are described, never printed', () => {
    expect(loadNextToGood('x: "SECRET value"\ny:\n  tasks: ["SECRET task"]\nz:\n  default_args: "SECRET args"\n  tasks: []\n').map(shown)).toEqual([
      "bad.yaml:1:1: DAG 'x' must be a map of settings (schedule, default_args, tasks, ...), got a string",
      'bad.yaml:3:11: task #1 must be a map with task_id and operator, got a string',
      "bad.yaml:5:17: DAG 'z': default_args must be a map of settings, got a string",
    ]);
    expect(loadNextToGood('SECRET text\n').map(shown)).toEqual([
      "bad.yaml:1:1: a DAG file is a map of dag_id -> DAG settings, got a string: is it a DAG file? (one starts with a dag_id and a colon, e.g. 'my_dag:')",
    ]);
  });

  it('a hostile defaults.yml is one problem for it, and the DAGs below it say so in one line each', () => {
    const dir = writeFiles({ 'team/good.yaml': GOOD });
    fs.writeFileSync(path.join(dir, 'team/defaults.yml'), billionLaughs());
    const r = loadDagFolder(dir, registry, { now: NOW });
    expect(r.dags).toEqual([]);
    expect(r.problems.map((p) => [path.relative(dir, p.file), p.message.slice(0, 40)])).toEqual([
      ['team/defaults.yml', 'aliases and merge keys expand this file '],
      ['team/good.yaml', `the defaults file ${path.join(dir, 'team/defaults.yml')}`.slice(0, 40)],
    ]);
  });
});
