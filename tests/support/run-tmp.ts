// One temporary folder for a whole `vitest run`, removed when vitest ends (vitest.config.js, globalSetup). The test
// files' folders (tmp.ts), and whatever the code under test, its `dag` processes and Chromium put in os.tmpdir(), go
// inside it through TMPDIR, which the workers and their children inherit. Cleaning up in the workers is not enough:
// vitest stops them with SIGTERM (tinypool's ProcessWorker.terminate), so their 'exit' listeners never run, and a run
// left ~300 folders (~200 MB) in /tmp.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isPidAlive } from '../../engine/state/jobs.js';

export const RUN_TMP_PREFIX = 'windsock-tests-';
/** A folder left by a run whose vitest is gone (killed: no exit listener ran) is removed once this old. */
export const STALE_AFTER_MS = 10 * 60_000;
/** A run folder's name, with the pid of the vitest that made it. */
const RUN_TMP_NAME = new RegExp(`^${RUN_TMP_PREFIX}(\\d+)-`);

/** A fresh run folder in `parent` named after this process, open to every user as /tmp is (tests run the CLI as nobody). */
export function createRunTmp(parent = os.tmpdir()): string {
  const dir = fs.mkdtempSync(path.join(parent, `${RUN_TMP_PREFIX}${process.pid}-`));
  fs.chmodSync(dir, 0o1777);
  return dir;
}

/**
 * Removes the run folders in `parent` whose vitest process is gone and that nothing has touched for STALE_AFTER_MS
 * (the age guards against a pid of another pid namespace sharing this /tmp); returns their paths.
 */
export function sweepStaleRunTmps(parent = os.tmpdir(), alive = isPidAlive, now = Date.now()): string[] {
  const swept: string[] = [];
  for (const name of fs.readdirSync(parent)) {
    const m = RUN_TMP_NAME.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    const dir = path.join(parent, name);
    try {
      if (now - fs.lstatSync(dir).mtimeMs < STALE_AFTER_MS) continue;
      removeRunTmp(dir);
      swept.push(dir);
    } catch {
      // removed by another run meanwhile, or not ours to remove
    }
  }
  return swept;
}

/**
 * Removes the run folder and everything in it; folders a test made read-only are opened first when that is what
 * stops the removal (root ignores their modes). A tmpfs still mounted in it makes this throw.
 */
export function removeRunTmp(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') throw e;
    openFolders(dir);
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
  }
}

/** chmod u+rwx every folder under `dir` (not following symlinks). */
function openFolders(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const p = path.join(dir, e.name);
    fs.chmodSync(p, 0o700);
    openFolders(p);
  }
}

/**
 * vitest's globalSetup, in its main process before any worker starts. Folders of runs that were killed go first. The
 * new one is removed when that process exits, not in a teardown: vitest runs teardowns before it stops the workers
 * (Vitest.close), while their browsers and `dag` processes may still write there.
 * https://vitest.dev/config/#globalsetup
 */
export function setup(): void {
  sweepStaleRunTmps();
  const dir = createRunTmp();
  process.env.TMPDIR = dir;
  process.once('exit', () => {
    try {
      removeRunTmp(dir);
    } catch (e) {
      process.stderr.write(`could not remove the tests' temporary folder ${dir}: ${(e as Error).message}\n`);
    }
  });
}
