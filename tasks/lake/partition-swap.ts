// Replacing a whole partition folder on a local filesystem so that readers see the old files or the new ones, never a
// mix. Node has no atomic directory exchange, so the swap is two renames guarded by a marker file:
//
//   1. copy the new files into <parent>/.windsock-new-<name>-<id>/ and fsync them
//   2. create the marker <parent>/.windsock-swap-<name> holding <id> (only once the copy is complete)
//   3. rename <name> -> .windsock-old-<name>-<id>          (skipped when there is no old partition)
//   4. rename .windsock-new-<name>-<id> -> <name>
//   5. delete the marker, then the old folder
//
// Between 3 and 4 the partition is absent for an instant: a reader that misses a path while a marker is present waits
// for the marker to go (waitForSwap), so through the Lake it sees the old partition or the new one, never none.
//
// Crash recovery. A marker older than STALE_MS belongs to a writer that died. Its new folder is complete (step 2 comes
// after the copy), so settleSwap rolls it forward if the target is missing and drops the marker: after a crash the
// partition is the old one (crash before 4) or the new one (crash after 3). Readers settle a stale marker they trip
// over; the next replacement of the same partition settles it too, then deletes leftover .windsock-new-/-old- folders
// of that partition (copies that never got a marker, old folders not yet deleted). Two writers replacing the SAME
// partition at once are not supported (a DAG writes a ds partition from one task instance at a time).
import fsp from 'node:fs/promises';
import path from 'node:path';
import { RESERVED_PREFIX } from './lake-key.js';
import { fsyncDir, isNotFound, pathExists, randomId } from './local-files.js';

/** A marker older than this is a crashed writer's (a live writer holds it for two renames). */
export const STALE_MS = 5_000;
const POLL_MS = 2;

const markerName = (name: string) => `${RESERVED_PREFIX}swap-${name}`;
const newName = (name: string, id: string) => `${RESERVED_PREFIX}new-${name}-${id}`;
const oldName = (name: string, id: string) => `${RESERVED_PREFIX}old-${name}-${id}`;
const LEFTOVER = new RegExp(`^${RESERVED_PREFIX.replace('.', '\\.')}(new|old)-(.+)-([0-9a-f]{16})$`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Replace the folder `parent/name` by a folder that `fill(dir)` populates. */
export async function swapPartition(parent: string, name: string, fill: (dir: string) => Promise<void>): Promise<void> {
  await fsp.mkdir(parent, { recursive: true });
  await waitForSwap(parent, name);
  await removeLeftovers(parent, name);

  const id = randomId();
  const target = path.join(parent, name);
  const fresh = path.join(parent, newName(name, id));
  const trash = path.join(parent, oldName(name, id));
  const marker = path.join(parent, markerName(name));
  try {
    await fsp.mkdir(fresh);
    await fill(fresh);
    await fsyncDir(fresh);
  } catch (err) {
    await fsp.rm(fresh, { recursive: true, force: true });
    throw err;
  }

  await createMarker(parent, name, id);
  let hadOld = true;
  try {
    try {
      await fsp.rename(target, trash);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      hadOld = false;
    }
    try {
      await fsp.rename(fresh, target);
    } catch (err) {
      // A reader may have judged us dead and rolled our folder forward already: then the target is ours.
      if (!(isNotFound(err) && (await pathExists(target)) && !(await pathExists(fresh)))) throw err;
    }
  } catch (err) {
    // Put the old partition back if we can, and never leave readers waiting on our marker.
    if (hadOld && !(await pathExists(target))) await fsp.rename(trash, target).catch(() => undefined);
    await fsp.rm(fresh, { recursive: true, force: true });
    await fsp.rm(marker, { force: true });
    throw err;
  }
  await fsp.rm(marker, { force: true });
  await fsyncDir(parent);
  if (hadOld) await fsp.rm(trash, { recursive: true, force: true });
}

async function createMarker(parent: string, name: string, id: string): Promise<void> {
  for (;;) {
    try {
      await fsp.writeFile(path.join(parent, markerName(name)), id, { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      await waitForSwap(parent, name);
    }
  }
}

/** Wait until no swap of `parent/name` is in flight; settle a crashed one. Returns whether there was one. */
export async function waitForSwap(parent: string, name: string): Promise<boolean> {
  const marker = path.join(parent, markerName(name));
  let waited = false;
  for (;;) {
    let mtimeMs: number;
    try {
      mtimeMs = (await fsp.stat(marker)).mtimeMs;
    } catch (err) {
      if (isNotFound(err)) return waited;
      throw err;
    }
    waited = true;
    if (Date.now() - mtimeMs > STALE_MS) {
      await settleSwap(parent, name);
      return true;
    }
    await sleep(POLL_MS);
  }
}

/** Finish a crashed writer's swap: roll its complete new folder forward if the partition is missing, drop the marker. */
export async function settleSwap(parent: string, name: string): Promise<void> {
  const marker = path.join(parent, markerName(name));
  let id: string;
  try {
    id = (await fsp.readFile(marker, 'utf8')).trim();
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  const target = path.join(parent, name);
  const fresh = path.join(parent, newName(name, id));
  if (!(await pathExists(target)) && (await pathExists(fresh))) {
    await fsp.rename(fresh, target).catch((err) => {
      if (!isNotFound(err) && (err as NodeJS.ErrnoException).code !== 'ENOTEMPTY') throw err;
    });
  }
  await fsp.rm(marker, { force: true });
}

async function removeLeftovers(parent: string, name: string): Promise<void> {
  for (const entry of await fsp.readdir(parent)) {
    const m = LEFTOVER.exec(entry);
    if (m && m[2] === name) await fsp.rm(path.join(parent, entry), { recursive: true, force: true });
  }
}

/**
 * The first folder on the way from `root` to `rel` that has a swap marker beside it, if any: a path that is missing
 * may only be missing for the instant of that swap.
 */
export async function swapOnPath(root: string, rel: string): Promise<{ parent: string; name: string } | null> {
  let dir = root;
  for (const seg of rel.split('/').filter(Boolean)) {
    if (await pathExists(path.join(dir, markerName(seg)))) return { parent: dir, name: seg };
    dir = path.join(dir, seg);
  }
  return null;
}

/** Wait for a swap under way on the way from `root` to `rel`, if any. */
export async function waitForSwapOnPath(root: string, rel: string): Promise<void> {
  const swap = await swapOnPath(root, rel);
  if (swap) await waitForSwap(swap.parent, swap.name);
}

/** Slack for the filesystem's coarse timestamps (the kernel stamps mtimes from a clock that ticks every few ms). */
const CLOCK_SLACK_MS = 50;

/**
 * Run a read of `root/rel`; if it fails because the path is missing while a swap is under way on that path, wait for
 * the swap and read again. A swap that finished between the failed read and our look for its marker still shows: it
 * renamed and unlinked in a folder on the path, so that folder's mtime is recent; then we read once more.
 */
export async function readThroughSwaps<T>(root: string, rel: string, read: () => Promise<T>): Promise<T> {
  for (let rereads = 0; ; ) {
    const began = Date.now();
    try {
      return await read();
    } catch (err) {
      if (!isNotFound(err)) throw err;
      const swap = await swapOnPath(root, rel);
      if (swap) await waitForSwap(swap.parent, swap.name);
      else if (rereads++ < 3 && (await touchedSince(root, rel, began - CLOCK_SLACK_MS))) continue;
      else throw err;
    }
  }
}

/** Whether a folder on the way from `root` to `rel` changed (mtime) at or after `sinceMs`. */
async function touchedSince(root: string, rel: string, sinceMs: number): Promise<boolean> {
  let dir = root;
  for (const seg of ['', ...rel.split('/').filter(Boolean).slice(0, -1)]) {
    if (seg) dir = path.join(dir, seg);
    const st = await fsp.stat(dir).catch(() => null);
    if (!st) return false;
    if (st.mtimeMs >= sinceMs) return true;
  }
  return false;
}

/** The partitions of one folder's listing that are absent because their swap is in flight (marker, no folder). */
export function absentDuringSwap(entryNames: string[]): string[] {
  const names = new Set(entryNames);
  const prefix = `${RESERVED_PREFIX}swap-`;
  return entryNames.filter((n) => n.startsWith(prefix) && !names.has(n.slice(prefix.length))).map((n) => n.slice(prefix.length));
}
