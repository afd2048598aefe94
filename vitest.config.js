// Tests are compiled by `tsc` first (the test script type-checks before it runs), then run as plain JS from dist/,
// so worker threads and child processes load exactly what users run.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // vitest's default exclude drops dist/, where the compiled tests live.
    exclude: ['**/node_modules/**'],
    // Generous: on a busy 2-core machine a CLI run can take many times its quiet duration. A test that hangs still
    // fails, just later; every wait inside a test (until()) gives up at 60 s, well before this.
    testTimeout: 120_000,
    hookTimeout: 120_000,
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
      { extends: true, test: { name: 'integration', include: ['dist/tests/integration/**/*.test.js'] } },
    ],
  },
});
