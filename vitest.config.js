// Tests are compiled by `tsc` first (the test script type-checks before it runs), then run as plain JS from dist/,
// so worker threads and child processes load exactly what users run.
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Integration files that each need a process of their own: they set WINDSOCK_* in process.env for the code under
// test and do not restore it. Every other file shares its process with the files before it: it sets no process.env
// it does not restore (tests/support/env.ts), replaces no global, and reads its settings per command
// (tests/support/in-process-cli.ts). Sharing spares each a process start-up and the loading of vitest, DuckDB and the
// engine, which was a large part of their time; and vitest runs projects one after another, so a file in a project
// of its own has a core to itself while the other waits.
const ISOLATED = ['dashboard-browser'].map((name) => `dist/tests/integration/${name}.test.js`);

export default defineConfig({
  test: {
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
    // Two test files at a time (one per core), in processes that vitest reuses (isolate: false below) within a project
    // and replaces between projects. vitest decides whether workers are reused from this top-level pool option only:
    // a project's own `isolate` just says whether the module registry is reset between its files, so without this
    // every file started a process of its own whatever its project said.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1, isolate: false } },
    projects: [
      {
        extends: true,
        // Unit files share their processes (isolate: false): no start-up and module loading per file, which was
        // most of their cost. They leave no state behind (what they set in process.env they restore).
        test: { name: 'unit', include: ['dist/tests/unit/**/*.test.js'], isolate: false },
      },
      { extends: true, test: { name: 'integration', include: ['dist/tests/integration/**/*.test.js'], exclude: ['**/node_modules/**', ...ISOLATED], isolate: false } },
      // Each of the others is a project of its own: vitest replaces its workers between projects, so each of these
      // files gets a fresh process.
      ...ISOLATED.map((file) => ({ extends: true, test: { name: path.basename(file, '.test.js'), include: [file] } })),
    ],
  },
});
