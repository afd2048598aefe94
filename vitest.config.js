// Tests are compiled by `tsc` first (the test script type-checks before it runs), then run as plain JS from dist/,
// so worker threads and child processes load exactly what users run.
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer } from 'vitest/node';
import { startThreadpoolNudge } from './dist/engine/threadpool-nudge.js';

// vitest's own process reads files through libuv's thread pool too: the same guard as `dag` and the test workers.
startThreadpoolNudge();

/** Seconds a file is guessed to take before vitest has timed it here: browser pages, then processes, then the rest. */
const guess = (file) => (/-browser\.test\.js$/.test(file) ? 15 : /\/integration\//.test(file) ? 5 : 0.5);

/**
 * The longest files first, so that none of them starts last and runs on alone while the other workers are done:
 * by the duration vitest recorded for the file in its last run (node_modules/.vite/vitest/.../results.json), else
 * by a guess from its kind. vitest's own order puts every file without a record first, by size, which on a fresh
 * clone (CI) is no guide to time. Files that failed last time still go first, as in vitest's order.
 * https://vitest.dev/config/#sequence-sequencer
 */
class LongestFirst extends BaseSequencer {
  async sort(files) {
    const weight = (spec) => {
      const r = this.ctx.cache.getFileTestResults(`${spec.project.name}:${path.relative(this.ctx.config.root, spec.moduleId)}`);
      return r ? (r.failed ? Infinity : r.duration / 1000) : guess(spec.moduleId);
    };
    return files.map((spec) => ({ spec, w: weight(spec) })).sort((a, b) => b.w - a.w).map((x) => x.spec);
  }
}

export default defineConfig({
  test: {
    // One set of files, unit and integration together: vitest runs projects one after another (each waits for the
    // last file of the one before), so with two projects the unit files ran after the integration ones instead of
    // filling the gaps between them, and a file in a project of its own had a core to itself while the other waited.
    include: ['dist/tests/**/*.test.js'],
    // vitest's default exclude drops dist/, where the compiled tests live.
    exclude: ['**/node_modules/**'],
    // The project's compiled modules load through Node's own loader, as node_modules do, not through vitest's module
    // runner: it would transform each one again (they are plain JS already) and fetch it from the main process, which
    // was a large part of each file's "collect" time. Test files themselves still go through vitest (its runner
    // needs them); nothing here mocks a module (vi.mock), which only works on modules vitest loads.
    // https://vitest.dev/config/#server-deps-external
    server: { deps: { external: [/\/dist\/(engine|tasks|ui|cli|bench|tests\/support)\//] } },
    // Generous: on a busy 2-core machine (load 30) a CLI run takes ten times its quiet duration, and a test that waits
    // for several things in turn passed 120 s. A test that hangs still fails, just later; each wait inside a test
    // (until()) gives up at 60 s.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Two test files at a time (one per core), in processes that vitest reuses from file to file (isolate: false): no
    // process start-up and no loading of vitest, DuckDB and the engine per file, which was a large part of their time.
    // Every file may share its process with the files before it: it sets no process.env it does not restore
    // (tests/support/env.ts), replaces no global, and reads its settings per command (tests/support/in-process-cli.ts).
    // minWorkers = maxWorkers: with fewer, tinypool stops a worker the moment it is idle (its idleTimeout is 0), which
    // happens near the end of a run while the other workers still run files; a run with 3 and 1 ended that way in an
    // unhandled "Terminating worker thread" rejection and exit 1 (as in vitest issue #8564, where vitest 4 setting
    // minWorkers to 0 did the same). Set here rather than as poolOptions.forks.maxForks, which would override the
    // command line: `npx vitest run --maxWorkers=3 --minWorkers=3` tries three (it passed at load 10-18, but with two
    // CPU burners on top, load 15-20, every test passed and vitest still exited 1 on its fixed 60 s worker RPC timeout).
    pool: 'forks',
    maxWorkers: 2,
    minWorkers: 2,
    poolOptions: { forks: { isolate: false } },
    isolate: false,
    sequence: { sequencer: LongestFirst },
    // One temporary folder for the run (TMPDIR for the workers and all they start), removed when vitest exits.
    globalSetup: ['dist/tests/support/run-tmp.js'],
    // Each worker nudges libuv's thread pool, as `dag` does (engine/threadpool-nudge.ts).
    setupFiles: ['dist/tests/support/worker-setup.js'],
    // Cheap password hashes for the web apps tests start in their own process (TEST_PASSWORD_COST in tests/support/cli.ts).
    env: { WINDSOCK_PASSWORD_COST: '10' },
  },
});
