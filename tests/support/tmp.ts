import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A fresh temporary folder, inside the run's folder (os.tmpdir() is it: tests/support/run-tmp.ts), which goes when
 * vitest exits. No cleanup here: vitest stops its workers with SIGTERM, so a listener on their 'exit' never ran.
 */
export function tempDir(prefix = 'windsock-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
