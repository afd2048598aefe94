import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];
// One listener for all of them: test files share their process (vitest.config.js), and a listener per folder would
// pass Node's limit of 10 per event with a warning.
process.once('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed when the process exits. */
export function tempDir(prefix = 'windsock-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
