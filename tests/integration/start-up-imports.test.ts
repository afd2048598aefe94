// What `dag run` loads: the full YAML parser, cron-parser and nunjucks only when a DAG needs them (a file the fast
// YAML reader declines, a cron schedule, a templated argument); the task graph is plain lists (no graph library is
// a dependency any more). Each costs every command
// 0.1-0.3 s of start-up when loaded eagerly. The probe lists the packages in the process's module cache at exit
// (an ES module import of a CommonJS package lands there too).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../support/paths.js';
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
