// Tests are compiled by `tsc` first (the test script type-checks before it runs), then run as plain JS from dist/,
// so worker threads and child processes load exactly what users run.
import { defineConfig } from 'vitest/config';

// Integration files that can share their processes too: they set no process.env they do not restore, replace no
// global, mount nothing, and read their settings per command (tests/support/in-process-cli.ts). Sharing spares each
// a process start-up and the loading of vitest, DuckDB and the engine, which was a large part of their time.
const SHARED = [
  'backfill-cap', 'backfill', 'cli-inputs', 'cli-listings', 'dag-run', 'dag-warnings', 'failure-reasons', 'hostile-dag-files',
  'lake-gcs', 'lake-load-raw', 'openaq-client', 'openaq-extract', 'openaq-resume', 'openaq-simulator', 'orphans', 'paris-csv',
  'pipeline-e2e', 'run-ownership', 'scheduler', 'settings', 'storage-errors', 'ts-operators', 'warehouse-duckdb', 'warehouse-lock',
  'warehouse-query',
].map((name) => `dist/tests/integration/${name}.test.js`);

export default defineConfig({
  test: {
    // vitest's default exclude drops dist/, where the compiled tests live.
    exclude: ['**/node_modules/**'],
    // Generous: on a busy 2-core machine (load 30) a CLI run takes ten times its quiet duration, and a test that waits
    // for several things in turn passed 120 s. A test that hangs still fails, just later; each wait inside a test
    // (until()) gives up at 60 s.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // One test file per core, each in a process of its own (native modules: better-sqlite3, DuckDB).
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    projects: [
      {
        extends: true,
        // Unit files share their processes (isolate: false): no start-up and module loading per file, which was
        // most of their cost. They leave no state behind (what they set in process.env they restore).
        test: { name: 'unit', include: ['dist/tests/unit/**/*.test.js'], isolate: false },
      },
      { extends: true, test: { name: 'integration', include: ['dist/tests/integration/**/*.test.js'], exclude: ['**/node_modules/**', ...SHARED] } },
      { extends: true, test: { name: 'integration-shared', include: SHARED, isolate: false } },
    ],
  },
});
