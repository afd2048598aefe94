// The test suite itself: no test may wait on a child process synchronously. A synchronous spawn (or a blocking
// Atomics.wait) stops the test worker's event loop, and with it any server the test hosts and vitest's RPC with the
// worker; on a busy machine that outlasts vitest's 60 s RPC timeout and `npm test` fails with
// "Timeout calling onTaskUpdate" although every test passed. Use `await dag(...)` from tests/support/cli.ts.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths.js';

// Spelled in pieces so this file holds no hit of its own and is scanned like every other.
const SYNC = 'Sync';
const WAIT = 'wait';
const BANNED = new RegExp(`\\b(?:(?:spawn|exec|execFile|fork)${SYNC}\\b|Atomics\\s*\\.\\s*${WAIT}\\s*\\()`);

interface Hit {
  file: string;
  line: number;
  text: string;
}

/** Every line of `text` that calls a blocking child-process API or Atomics.wait. */
function blockingCalls(file: string, text: string): Hit[] {
  return text.split('\n').flatMap((l, i) => (BANNED.test(l) ? [{ file, line: i + 1, text: l.trim() }] : []));
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(?:[cm]?ts|[cm]?js)$/.test(e.name) ? [p] : [];
  });
}

describe('the test suite', () => {
  it('recognises each blocking call it bans, and not their asynchronous cousins', () => {
    const sample = [
      `const r = cp.spawn${SYNC}(process.execPath, ['x']);`,
      `import { exec${SYNC} } from 'node:child_process';`,
      `execFile${SYNC}('dag', ['list'])`,
      `Atomics.${WAIT}(flag, 0, 0);`,
      `spawn(process.execPath); execFile('dag', cb); fs.readFile${SYNC}(p); Atomics.waitAsync(flag, 0, 0); Atomics.load(flag, 0);`,
    ].join('\n');
    expect(blockingCalls('sample.ts', sample).map((h) => h.line)).toEqual([1, 2, 3, 4]);
  });

  it('has no test that waits on a child process synchronously (spawn/exec/execFile Sync, Atomics.wait)', () => {
    const files = sourceFiles(path.join(ROOT, 'tests'));
    // Scanning the source tree, not dist/: a wrong ROOT would find nothing and pass.
    expect(files.length).toBeGreaterThan(50);
    expect(files.map((f) => path.relative(ROOT, f))).toContain(path.join('tests', 'support', 'cli.ts'));
    const hits = files.flatMap((f) => blockingCalls(path.relative(ROOT, f), fs.readFileSync(f, 'utf8')));
    expect(hits.map((h) => `${h.file}:${h.line}: ${h.text}`)).toEqual([]);
  });
});
