// Tests are compiled by `tsc` first (the test script type-checks before it runs), then run as plain JS from dist/,
// so worker threads and child processes load exactly what users run.
import { defineConfig } from 'vitest/config';

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
    // Three test files at a time on two cores, in processes that vitest reuses from file to file (isolate: false): no
    // process start-up and no loading of vitest, DuckDB and the engine per file, which was a large part of their time.
    // Three, not two: a third of the suite's wall time is spent waiting (on child processes, browser pages, timers),
    // and a third file fills those waits. Every file may share its process with the files before it: it sets no
    // process.env it does not restore (tests/support/env.ts), replaces no global, and reads its settings per command
    // (tests/support/in-process-cli.ts).
    // minForks = maxForks: with fewer, tinypool stops a worker the moment it is idle (its idleTimeout is 0), which
    // happens near the end of a run while the other workers still run files; a run with maxForks 3 and minForks 1
    // ended that way in an unhandled "Terminating worker thread" rejection and exit 1 (as in vitest issue #8564,
    // where vitest 4 setting minWorkers to 0 did the same).
    pool: 'forks',
    poolOptions: { forks: { maxForks: 3, minForks: 3, isolate: false } },
    isolate: false,
  },
});
