// Run by vitest before each test file, in the file's worker process (vitest.config.js, setupFiles). The test workers
// wait on libuv's thread pool as `dag` does (module imports, fs.promises, scrypt, DuckDB's fs), so they get the same
// guard against a lost wake-up of it; a worker stuck that way once held a run for 15 minutes, in an import.
import { startThreadpoolNudge } from '../../engine/threadpool-nudge.js';

startThreadpoolNudge();
