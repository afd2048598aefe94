// What `dag run` loads: the full YAML parser, cron-parser and nunjucks only when a DAG needs them (a file the fast
// YAML reader declines, a cron schedule, a templated argument); the task graph is plain lists (no graph library is
// a dependency any more). Each costs every command
// 0.1-0.3 s of start-up when loaded eagerly. The probe lists the packages in the process's module cache at exit
// (an ES module import of a CommonJS package lands there too); the CLI is a bundle (scripts/bundle-cli.mjs), which
// leaves these packages out so that their loads stay separate modules the cache sees.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../support/paths.js';
import { runToEnd, workspace } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

const WATCHED = ['yaml', 'cron-parser', 'nunjucks'];

async function loadedBy(files: Record<string, string>, dagId: string): Promise<string[]> {
  const ws = workspace(files);
  const dir = tempDir();
  const probe = path.join(dir, 'probe.mjs');
  const out = path.join(dir, 'loaded.json');
  fs.writeFileSync(
    probe,
    [
      "import fs from 'node:fs';",
      "import { createRequire } from 'node:module';",
      'const cache = createRequire(import.meta.url).cache;',
      `process.on('exit', () => fs.writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.keys(cache))));`,
    ].join('\n'),
  );
  const r = await runToEnd([process.execPath, '--import', probe, CLI, 'run', dagId, '--date', '2024-01-02'], ws.env);
  expect(r.code, r.stderr).toBe(0);
  const files_ = JSON.parse(fs.readFileSync(out, 'utf8')) as string[];
  return WATCHED.filter((pkg) => files_.some((f) => f.includes(`${path.sep}node_modules${path.sep}${pkg}${path.sep}`)));
}

describe('dag run start-up', () => {
  it('the bundled CLI carries none of the watched packages (a bundled one would load unseen by the probe)', () => {
    const meta = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist/cli-bundle/meta.json'), 'utf8')) as { inputs: Record<string, unknown> };
    const inputs = Object.keys(meta.inputs);
    expect(inputs.some((f) => f.startsWith('engine/'))).toBe(true);
    expect(WATCHED.filter((pkg) => inputs.some((f) => f.includes(`node_modules/${pkg}/`)))).toEqual([]);
  });

  it('a plain bash DAG loads none of the YAML parser, cron-parser or nunjucks', async () => {
    const text = [
      'plain:',
      '  schedule: null',
      '  default_args: {start_date: 2024-01-01}',
      '  tasks:',
      '    - {task_id: a, operator: bash, bash_command: "true"}',
      '    - {task_id: b, operator: bash, bash_command: "echo b", dependencies: [a]}',
      '',
    ].join('\n');
    expect(await loadedBy({ 'plain.yaml': text }, 'plain')).toEqual([]);
  });

  it('a DAG with an anchor, a cron schedule and a template loads the parser, cron-parser and nunjucks when it needs them', async () => {
    const text = [
      'fancy:',
      '  schedule: "0 3 * * *"',
      '  default_args: &args {start_date: 2024-01-01}',
      '  tasks:',
      '    - {task_id: a, operator: bash, bash_command: "echo {{ ds }}"}',
      '',
    ].join('\n');
    expect(await loadedBy({ 'fancy.yaml': text }, 'fancy')).toEqual(['yaml', 'cron-parser', 'nunjucks']);
  });
});

/** The files `dag args` loads as ES modules, recorded by a module loader hook (https://nodejs.org/api/module.html#customization-hooks). */
async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const ws = workspace({ 'plain.yaml': 'plain:\n  schedule: null\n  default_args: {start_date: 2024-01-01}\n  tasks:\n    - {task_id: a, operator: bash, bash_command: "true"}\n' });
  const dir = tempDir();
  const out = path.join(dir, 'loaded.txt');
  const hooks = path.join(dir, 'hooks.mjs');
  const probe = path.join(dir, 'probe.mjs');
  fs.writeFileSync(hooks, `import fs from 'node:fs';\nexport async function load(url, context, next) {\n  fs.appendFileSync(${JSON.stringify(out)}, url + '\\n');\n  return next(url, context);\n}\n`);
  fs.writeFileSync(probe, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const r = await runToEnd([process.execPath, '--import', probe, CLI, ...args], ws.env);
  expect(r.code, r.stderr).toBe(0);
  const dist = pathToFileURL(path.join(ROOT, 'dist')).href + '/';
  return fs.readFileSync(out, 'utf8').split('\n').filter((u) => u.startsWith(dist)).map((u) => u.slice(dist.length));
}

describe('the dag command is bundled', () => {
  it('`dag --version` and `dag list` read the bundle (dist/cli/main.js and its chunks), not the compiled modules one by one', async () => {
    for (const args of [['--version'], ['list']]) {
      const loaded = await modulesLoadedBy(args);
      expect(loaded).toContain('cli/main.js');
      // tsc's output is 22 modules for --version and about 125 for a first `dag list`; the bundle, 4 and 54 files
      expect(loaded.filter((f) => f !== 'cli/main.js' && !f.startsWith('cli-bundle/'))).toEqual([]);
      expect(loaded.length).toBeLessThan(args[0] === 'list' ? 80 : 10);
    }
  });
});
