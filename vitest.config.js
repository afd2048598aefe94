// Tests are compiled by `tsc` first (the test script type-checks before it runs), then run as plain JS from dist/,
// so worker threads and child processes load exactly what users run.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['dist/tests/**/*.test.js'],
    // vitest's default exclude drops dist/, where the compiled tests live.
    exclude: ['**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
