// An exclusive lock on a file shared by processes *and* threads: DuckDB's own lock is per process, and two
// load_star tasks in worker threads of one runner would otherwise open the same database file at once.
//
// The lock is a file naming its holder (host, pid, thread, since when), created whole or not at all (written aside,
// then hard-linked into place, which fails if a lock is there). A holder whose process is gone (same host, the OS
// says no such pid) is taken over at once; otherwise its holder touches the file every few seconds, so a lock left by
// a dead thread, or by another host, goes stale and is taken over after `staleMs`. A wait on a live holder says who it
// waits for, once, and gives up after `timeoutMs`.
import fs from 'node:fs/promises';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { threadId } from 'node:worker_threads';

export interface FileLockOptions {
  /** A lock not touched for this long is abandoned. */
  staleMs?: number;
  /** Give up waiting after this long. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Told once when the lock is held by someone alive and we wait for them. */
  onWait?: (holder: string) => void;
}

export interface LockHolder {
  host: string;
  pid: number;
  thread: number;
  /** ISO time the holder took the lock. */
  since: string;
  id: string;
}

export class LockTimeoutError extends Error {
  constructor(readonly lockPath: string, holder: string) {
    super(`timed out waiting for ${lockPath} (held by ${holder})`);
    this.name = 'LockTimeoutError';
  }
}

/** The holder recorded in a lock file's text, or null when it is not one of ours (or half-written). */
export function parseHolder(text: string): LockHolder | null {
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (typeof h.host === 'string' && Number.isInteger(h.pid) && typeof h.since === 'string' && typeof h.id === 'string') {
      return { host: h.host, pid: h.pid!, thread: Number(h.thread ?? 0), since: h.since, id: h.id };
    }
  } catch {
    // not JSON
  }
  return null;
}

export function describeHolder(h: LockHolder | null): string {
  if (!h) return 'an unknown holder';
  return `pid ${h.pid}${h.thread ? ` (thread ${h.thread})` : ''} on ${h.host} since ${h.since}`;
}

/** Whether the holder's process is known to be gone: on this host, and the OS has no such pid. */
export function holderIsDead(h: LockHolder | null, host = os.hostname()): boolean {
  if (!h || h.host !== host) return false;
  try {
    process.kill(h.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export async function acquireFileLock(lockPath: string, opts: FileLockOptions = {}): Promise<() => Promise<void>> {
  const staleMs = opts.staleMs ?? 30_000;
  const deadline = Date.now() + (opts.timeoutMs ?? 10 * 60_000);
  const me: LockHolder = { host: os.hostname(), pid: process.pid, thread: threadId, since: '', id: randomBytes(6).toString('hex') };
  let told = false;
  let wait = 20;
  let token: string;
  for (;;) {
    opts.signal?.throwIfAborted();
    token = JSON.stringify({ ...me, since: new Date().toISOString() });
    if (await createExclusive(lockPath, token)) break;
    const text = await fs.readFile(lockPath, 'utf8').catch(() => null);
    if (text === null) continue; // released meanwhile
    const holder = parseHolder(text);
    if (holderIsDead(holder)) {
      await takeOver(lockPath, text);
      continue;
    }
    const st = await fs.stat(lockPath).catch(() => null);
    if (st && Date.now() - st.mtimeMs > staleMs) {
      await takeOver(lockPath, text); // the holder stopped touching it: gone
      continue;
    }
    if (Date.now() > deadline) throw new LockTimeoutError(lockPath, describeHolder(holder));
    if (!told) {
      told = true;
      opts.onWait?.(describeHolder(holder));
    }
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

/** Create `lockPath` holding `text`, whole, unless it exists. */
async function createExclusive(lockPath: string, text: string): Promise<boolean> {
  const aside = `${lockPath}.${randomBytes(6).toString('hex')}.new`;
  await fs.writeFile(aside, text);
  try {
    await fs.link(aside, lockPath);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await fs.rm(aside, { force: true });
  }
}

/**
 * Remove the abandoned lock whose text we read. It is moved aside first and checked: two waiters taking over the
 * same dead lock must not remove the lock one of them has just created. If what we moved is not the dead lock, it is
 * put back (unless a lock appeared there in that instant).
 */
async function takeOver(lockPath: string, deadText: string): Promise<void> {
  const aside = `${lockPath}.${randomBytes(6).toString('hex')}.stale`;
  if ((await fs.readFile(lockPath, 'utf8').catch(() => null)) !== deadText) return; // taken over by another already
  try {
    await fs.rename(lockPath, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else removed it
    throw err;
  }
  try {
    const moved = await fs.readFile(aside, 'utf8');
    if (moved !== deadText) await fs.link(aside, lockPath).catch(() => undefined);
  } finally {
    await fs.rm(aside, { force: true });
  }
}
