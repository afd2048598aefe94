// An extract killed half way (SIGKILL of the process running it) resumes on the next attempt: the server, which runs
// in this test process and so outlives the kill, sees no page that had been staged requested again.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extract, stagingDir, type ExtractSummary } from '../../tasks/openaq/extract.js';
import { startSimulator, type Simulator } from '../../tasks/openaq/simulator/index.js';
import { exited, until } from '../support/cli.js';
import { openaqEnv, stagedFiles, timelessManifest } from '../support/openaq-env.js';
import { runOperator } from '../support/operator-harness.js';
import { ROOT } from '../support/paths.js';
import { tempDir } from '../support/tmp.js';

const DS = '2024-04-20';
const CONCURRENCY = 2;
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ faults: { slowMs: 25 } });
});
afterAll(() => sim.close());

function journal(dir: string): { url: string; path: string }[] {
  const text = fs.existsSync(path.join(dir, '_progress.jsonl')) ? fs.readFileSync(path.join(dir, '_progress.jsonl'), 'utf8') : '';
  return text
    .split('\n')
    .slice(1)
    .flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
}

describe('openaq.extract after a kill', () => {
  it('resumes where it stopped and requests no staged page twice', async () => {
    const home = path.join(tempDir(), 'home');
    const dir = stagingDir(home, DS);
    const opts = { home, dsLocal: DS, dagId: 'openaq', taskId: 'extract', runId: `scheduled__${DS}` };
    const env: NodeJS.ProcessEnv = { ...process.env, OPENAQ_BASE_URL: sim.url, OPENAQ_RATE_LIMIT_PER_MINUTE: '0', OPENAQ_RATE_LIMIT_PER_HOUR: '0', OPENAQ_CONCURRENCY: String(CONCURRENCY) };
    delete env.OPENAQ_API_KEY;
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'dist/tests/support/operator-child.js'), path.join(ROOT, 'dist/tasks/openaq/index.js'), 'openaq.extract', JSON.stringify({ args: {}, opts })],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    try {
      await until(() => journal(dir).length >= 25 || child.exitCode !== null, 60_000, 'half of the pages staged');
    } finally {
      child.kill('SIGKILL');
    }
    await exited(child);
    expect(child.signalCode, output).toBe('SIGKILL');
    const staged = journal(dir);
    expect(staged.length).toBeGreaterThanOrEqual(25);
    expect(staged.length).toBeLessThan(64);
    expect(fs.existsSync(path.join(dir, '_manifest.json'))).toBe(false);

    const before = new Map(sim.stats().byPath);
    sim.setFaults({});
    const restore = openaqEnv(sim.url);
    let result: ExtractSummary;
    try {
      ({ result } = await runOperator<ExtractSummary>(extract, {}, opts));
    } finally {
      restore();
    }
    expect(result.pages).toBe(64);
    expect(result.pages_reused).toBe(staged.length);
    expect(result.requests).toBe(64 - staged.length);

    const target = (url: string) => url.slice(sim.url.length);
    const stagedTargets = new Set(staged.map((j) => target(j.url)));
    for (const t of stagedTargets) expect(sim.stats().byPath.get(t), t).toBe(1);
    // Only the requests in flight at the kill (never staged) can have been asked twice.
    const twice = [...sim.stats().byPath].filter(([, n]) => n > 1).map(([t]) => t);
    expect(twice.length).toBeLessThanOrEqual(CONCURRENCY);
    for (const t of twice) expect(before.get(t)).toBe(1);

    // And the result is the same as an extract that was never interrupted.
    const clean = path.join(tempDir(), 'home');
    const restore2 = openaqEnv(sim.url);
    try {
      await runOperator(extract, {}, { ...opts, home: clean });
    } finally {
      restore2();
    }
    const [a, b] = [stagedFiles(dir), stagedFiles(stagingDir(clean, DS))];
    a.delete('_manifest.json');
    b.delete('_manifest.json');
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [k, v] of a) expect(v.equals(b.get(k)!), k).toBe(true);
    expect(timelessManifest(dir)).toEqual(timelessManifest(stagingDir(clean, DS)));
  });
});
