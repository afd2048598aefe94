// An exclusive lock on a file shared by processes *and* threads: DuckDB's own lock is per process, and two
// load_star tasks in worker threads of one runner would otherwise open the same database file at once. The lock is
// a file created with O_EXCL; its holder touches it every few seconds, so a holder that died (a killed worker) leaves
// a stale lock that others take over.
import fs from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { threadId } from 'node:worker_threads';

export interface FileLockOptions {
  /** A lock not touched for this long is abandoned. */
  staleMs?: number;
  /** Give up waiting after this long. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export class LockTimeoutError extends Error {
  constructor(readonly lockPath: string, holder: string) {
    super(`timed out waiting for ${lockPath} (held by ${holder})`);
    this.name = 'LockTimeoutError';
  }
}

export async function acquireFileLock(lockPath: string, opts: FileLockOptions = {}): Promise<() => Promise<void>> {
  const staleMs = opts.staleMs ?? 30_000;
  const deadline = Date.now() + (opts.timeoutMs ?? 10 * 60_000);
  const token = `${process.pid}:${threadId}:${randomBytes(6).toString('hex')}`;
  let wait = 20;
  for (;;) {
    opts.signal?.throwIfAborted();
    try {
      await fs.writeFile(lockPath, token, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const st = await fs.stat(lockPath).catch(() => null);
    if (st && Date.now() - st.mtimeMs > staleMs) {
      await fs.rm(lockPath, { force: true }); // the holder stopped touching it: gone
      continue;
    }
    if (Date.now() > deadline) throw new LockTimeoutError(lockPath, (await fs.readFile(lockPath, 'utf8').catch(() => '?')) || '?');
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, 250);
  }
  const beat = setInterval(() => {
    const now = new Date();
    fs.utimes(lockPath, now, now).catch(() => undefined);
  }, Math.max(100, staleMs / 4));
  beat.unref();
  return async () => {
    clearInterval(beat);
    // only our own lock: a stale-lock takeover may have replaced it
    if ((await fs.readFile(lockPath, 'utf8').catch(() => '')) === token) await fs.rm(lockPath, { force: true });
  };
}
