// The fast YAML reader must agree with the `yaml` package (the reference) on every value and every position, or
// give up so the full parser runs. Checked on hand-written edge cases, on the DAG files of this repository, and on
// thousands of deterministic mutations of them.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fastYaml } from '../../../engine/dag/fast-yaml.js';
import { keyPos, posOf, Source, valuePos } from '../../../engine/dag/located.js';
import { readYamlFully } from '../../../engine/dag/yaml-source.js';
import { FIXTURES, ROOT } from '../../support/paths.js';
import { loadText, shown } from './helpers.js';

/** Differences between two located values ("" entries mean none). */
function differences(a: unknown, b: unknown, where = '$', out: string[] = []): string[] {
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v);
  if (kind(a) !== kind(b)) {
    out.push(`${where}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    return out;
  }
  if (a === null || typeof a !== 'object') {
    if (!Object.is(a, b)) out.push(`${where}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    return out;
  }
  const ob = b as Record<string, unknown>;
  const oa = a as Record<string, unknown>;
  if (posOf(a)?.offset !== posOf(b)?.offset) out.push(`${where}: starts at ${posOf(a)?.offset} vs ${posOf(b)?.offset}`);
  if (Object.keys(oa).join('\0') !== Object.keys(ob).join('\0')) {
    out.push(`${where}: keys ${Object.keys(oa)} vs ${Object.keys(ob)}`);
    return out;
  }
  for (const k of Object.keys(oa)) {
    const key = Array.isArray(a) ? Number(k) : k;
    if (!Array.isArray(a) && keyPos(a, k)?.offset !== keyPos(b, k)?.offset) out.push(`${where}.${k}: key at ${keyPos(a, k)?.offset} vs ${keyPos(b, k)?.offset}`);
    if (valuePos(a, key)?.offset !== valuePos(b, key)?.offset) out.push(`${where}.${k}: value at ${valuePos(a, key)?.offset} vs ${valuePos(b, key)?.offset}`);
    differences(oa[k], ob[k], `${where}.${k}`, out);
  }
  return out;
}

/** 'fast' when the fast reader took it (and agreed), 'full' when it left it to the full parser. */
function compare(text: string): 'fast' | 'full' {
  const fast = fastYaml(new Source('x.yaml', text));
  if (!fast) return 'full';
  const full = readYamlFully(new Source('x.yaml', text));
  expect(full.problems.map((p) => p.message), `the full parser rejects what the fast reader took: ${JSON.stringify(text)}`).toEqual([]);
  expect(differences(fast.value, full.value), JSON.stringify(text)).toEqual([]);
  return 'fast';
}

const SNIPPETS: string[] = [
  '\uFEFFbom: 1\n',
  'a: b\x07c\n',
  'a: b\u2028c\n',
  'a:\tb\n',
  'a: 1\r\nb: 2\r\n',
  "a: 1\n",
  "a:\n  b: 1\n  c: [1, 2, three]\n",
  "a:\n- x\n- y\nb: 2\n",
  "a:\n  - x\n  - y\n",
  "- a\n- b: 1\n  c: 2\n- [x, {y: 1}]\n",
  "key:\n",
  "key:\nother: 1\n",
  "- \n- x\n",
  "-\n- x\n",
  "a: 'it''s'\nb: \"q\\\"x\\n\\u00e9\"\n",
  "a: |\n  line1\n  line2\nb: 1\n",
  "a: |-\n  line1\n\n  line3\nb: 1\n",
  "a: >\n  folded\n  text\n\n  para\nb: x\n",
  "a: >-\n  one\n  two\n",
  "a: # comment\n  b: 1 # c2\n",
  "# head\n---\na: 1\n",
  "a: 1\n---\nb: 2\n",
  "a: &x 1\nb: *x\n",
  "a: !!str 1\n",
  "a: b: c\n",
  "a: 1\na: 2\n",
  "a:\n  b: 1\n   c: 2\n",
  "a: \"multi\n  line\"\n",
  "a: plain\n  continued\n",
  "n: ~\nt: True\nf: FALSE\ni: -12\no: 0o17\nh: 0x1F\nfl: 1.50\ne: 1e3\ninf: -.inf\nnan: .NaN\nd: 2024-01-01\nz: 012\np: +5\n",
  "'quoted key': 1\n\"dq\": 2\n",
  "a: {}\nb: []\nc: {x: , y: 2,}\n",
  "a: [a:b, c]\n",
  "a: [a: b]\n",
  "a: {a}\n",
  "tasks:\n  - task_id: t1\n    operator: bash\n    bash_command: echo 1 # note\n    dependencies: [t0]\n",
  "a:\n  b:\n    c:\n      d: deep\n  e: 1\n",
  "a: x#y\nb: 'x' # c\n",
  "a: \"x\"#y\n",
  "a: [1, 2\n",
  "x: |\n  a\n   b\n  c\n",
  "x: >\n  a\n   b\n  c\n",
  "x: |\n\n  a\n",
  "x: |\n  a\n# comment\ny: 2\n",
  "x: |\n  a\n  # not comment\ny: 2\n",
  "- - a\n",
  "? a\n: b\n",
  "a: -1\nb: - x\n",
  "a: -x\nb: :x\nc: ?x\n",
  "-x: 1\n",
  "a: 1 \n",
  "a:    spaced   \n",
  "<<: {a: 1}\n",
  "a: {<<: x}\n",
  "{a: 1}\n",
  "[1, 2]\n",
  "just a scalar\n",
  "",
  "# only comment\n",
  "---\n",
  "a: 1\n...\n",
  "a: |\n  no final newline",
  "a: x\n\n\n",
  "a:\n\n  b: 1\n",
  "list:\n- a\n\n- b\n",
  "a: [\"x, y\", 'z]']\n",
  "a: \"\\x41\\t\"\n",
  "a: \"\\q\"\n",
  "a: 'unterminated\n",
  "key with spaces: v\n",
  "a : b\n",
  "url: http://x.org/a:b\n",
  "cmd: echo \"a: b\"\n",
  "- echo \"a: b\"\n",
  "a: b # c: d\n",
  "a: 'x': y\n",
  "a: [x] y\n",
  "a: [x] # c\n",
  "s: \"\\u00e9\\U0001F600\"\n",
  "a: 1.\nb: .5\nc: 1_000\nd: 0b1\ne: 1e\n",
  "a: .inf\nb: +.INF\n",
  "a: NULL\nb: Null\nc: nULL\n",
  "a:\n  - b: 1\n    c:\n      - x\n  - d\n",
  "a:\n  -   b: 1\n      c: 2\n",
  "a:\n  - b: |\n      lit\n    c: 2\n",
  "x: |\n   a\n  b\n",
  "x: |2\n  a\n",
  "x: |+\n  a\n\n",
  "x: >\n\n  a\n",
  "a: {b: {c: [1, [2, 3]]}}\n",
  "a: [ ]\nb: { }\n",
  "a: ['', \"\"]\n",
  "a: {'': 1}\n",
  "a: [~, null, true]\n",
  "a:\n- 1\n- 2\nb:\n- 3\n",
  "key: \n",
  "key:   # c\n",
  "- x\n-   \n",
  "a:\n  -\n  - y\n",
  "a: |\n  x\nb: |\n  y\n",
];

function repositoryDagFiles(): string[] {
  const dirs = [path.join(FIXTURES, 'dag'), path.join(ROOT, 'dags')];
  return dirs.flatMap((d) => (fs.existsSync(d) ? fs.readdirSync(d).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(d, f)) : []));
}

describe('fast YAML reader', () => {
  it('agrees with the yaml package on edge cases, or leaves them to it', () => {
    const taken = SNIPPETS.filter((s) => compare(s) === 'fast').length;
    expect(taken).toBeGreaterThan(SNIPPETS.length / 2);
  });

  it('reads the DAG files of this repository itself (they are the common case it exists for)', () => {
    const files = repositoryDagFiles();
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(compare(fs.readFileSync(f, 'utf8')), f).toBe('fast');
  });

  it('agrees on thousands of mutations of those files', () => {
    const corpus = [...repositoryDagFiles().map((f) => fs.readFileSync(f, 'utf8')), ...SNIPPETS];
    const pieces = ['\u00a0', '\u2028', '\uFEFF', 'é', ' ', '  ', '\n', ':', ': ', '- ', '#', ' #', '"', "'", '[', ']', '{', '}', ',', '|', '>', '-', '~', 'x', '1', '\n  ', '\n- ', '\\', '&a', '*a', '!', '?', '---'];
    let seed = 20240615;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    let fast = 0;
    for (let i = 0; i < 3000; i++) {
      let t = corpus[rnd(corpus.length)];
      for (let m = 1 + rnd(3); m > 0; m--) {
        const at = rnd(t.length + 1);
        const op = rnd(3);
        if (op === 0) t = t.slice(0, at) + t.slice(at + 1 + rnd(3));
        else if (op === 1) t = t.slice(0, at) + pieces[rnd(pieces.length)] + t.slice(at);
        else {
          const from = rnd(t.length + 1);
          t = t.slice(0, at) + t.slice(from, from + rnd(10)) + t.slice(at);
        }
      }
      if (compare(t) === 'fast') fast++;
    }
    expect(fast).toBeGreaterThan(500);
  });

  it('files outside its subset still load, through the full parser (anchors and merge keys here)', () => {
    const text = [
      'base: &base',
      '  schedule: "@daily"',
      '  default_args: {owner: shared, start_date: 2024-01-01}',
      'first:',
      '  <<: *base',
      '  tasks: [{task_id: a, operator: empty}]',
      'second:',
      '  <<: *base',
      '  schedule: "@hourly"',
      '  tasks: [{task_id: b, operator: bash}]',
      '',
    ].join('\n');
    expect(fastYaml(new Source('x.yaml', text))).toBeNull();
    const r = loadText(text);
    expect(r.dags.map((d) => [d.dagId, d.schedule.source, d.owner])).toEqual([
      ['base', '@daily', 'shared'],
      ['first', '@daily', 'shared'],
    ]);
    expect(r.problems.map(shown)).toEqual(["dag.yaml:10:11: task 'b': missing 'bash_command' (a string)"]);
  });
});
