// The local-filesystem Lake (WINDSOCK_LAKE=file:///path, the default file://$WINDSOCK_HOME/lake). Keys map to files
// under the root; every write is atomic (temp file + fsync + rename) and a partition is replaced by swapping whole
// folders (partition-swap.ts). Names starting with ".windsock-" are the lake's own and never listed: a temp file left by
// a crash mid-put stays invisible and goes away with its partition's next replacement.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LakeNotFoundError, type Lake } from './lake.js';
import { checkKey, checkPrefix, RESERVED_PREFIX } from './lake-key.js';
import { copyFilesDurably, isNotFound, partitionFiles, writeFileAtomic } from './local-files.js';
import { absentDuringSwap, readThroughSwaps, swapOnPath, swapPartition, waitForSwap, waitForSwapOnPath } from './partition-swap.js';

export class FileLake implements Lake {
  readonly root: string;

  readonly uri: string;

  constructor(root: string, uri?: string) {
    this.root = path.resolve(root);
    this.uri = uri ?? pathToFileURL(this.root).href;
  }

  /** The absolute path of a (validated) key; never outside the root. */
  pathOf(key: string): string {
    const p = path.join(this.root, ...checkKey(key).split('/'));
    const rel = path.relative(this.root, p);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`lake key ${JSON.stringify(key)} resolves outside ${this.root}`);
    return p;
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    const file = this.pathOf(key);
    await waitForSwapOnPath(this.root, key); // never recreate a partition folder in the instant it is swapped
    await writeFileAtomic(file, body);
  }

  async putStream(key: string, body: Readable): Promise<void> {
    const file = this.pathOf(key);
    await waitForSwapOnPath(this.root, key);
    await writeFileAtomic(file, body);
  }

  async get(key: string): Promise<Buffer> {
    const file = this.pathOf(key);
    try {
      return await readThroughSwaps(this.root, key, () => fsp.readFile(file));
    } catch (err) {
      throw this.notFound(err, key);
    }
  }

  getStream(key: string): Readable {
    const file = this.pathOf(key);
    const out = new PassThrough();
    // Open first (waiting out a partition swap), then stream from the open descriptor: once open, a swap that moves
    // the file away cannot cut the read short.
    readThroughSwaps(this.root, key, () => fsp.open(file, 'r'))
      .then((fh) => pipeline(fh.createReadStream(), out))
      .catch((err) => out.destroy(this.notFound(err, key)));
    return out;
  }

  async exists(key: string): Promise<boolean> {
    const file = this.pathOf(key);
    try {
      return (await readThroughSwaps(this.root, key, () => fsp.stat(file))).isFile();
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /**
   * Keys under `prefix`, read as one consistent view: a partition swapped while we walk makes us wait for the swap and
   * walk again, so a listing never mixes an old partition's files with the new one's.
   */
  async list(prefix: string): Promise<string[]> {
    const folder = checkPrefix(prefix);
    const start = folder === '' ? this.root : path.join(this.root, ...folder.slice(0, -1).split('/'));
    for (let attempt = 1; ; attempt++) {
      const visited = new Map<string, string>();
      try {
        const keys = await this.walk(start, folder, visited);
        if (await sameFolders(visited)) return keys.sort();
      } catch (err) {
        if (!isNotFound(err)) throw err;
        const failed = (err as NodeJS.ErrnoException).path ?? start;
        const swap = await swapOnPath(this.root, path.relative(this.root, failed).split(path.sep).join('/'));
        if (swap) await waitForSwap(swap.parent, swap.name);
        else if (!(await fsp.stat(start).catch(() => null))?.isDirectory()) return []; // no such folder
        else if (attempt >= 100) throw err; // folders keep vanishing under us: give up rather than spin
        // else a folder vanished under us without a swap (a concurrent delete): read again
      }
    }
  }

  /** Files under `abs` (whose key prefix is `rel`), recording the identity of every folder read. */
  private async walk(abs: string, rel: string, visited: Map<string, string>): Promise<string[]> {
    let entries: fs.Dirent[];
    for (;;) {
      visited.set(abs, await folderIdentity(abs));
      entries = await fsp.readdir(abs, { withFileTypes: true });
      // A child partition caught between its two renames: wait for it, then read this folder again.
      const absent = absentDuringSwap(entries.map((e) => e.name));
      if (absent.length === 0) break;
      for (const name of absent) await waitForSwap(abs, name);
    }
    const out: string[] = [];
    for (const e of entries) {
      if (e.name.startsWith(RESERVED_PREFIX)) continue;
      const childAbs = path.join(abs, e.name);
      const stat = e.isSymbolicLink() ? await fsp.stat(childAbs).catch(() => null) : e;
      if (stat?.isDirectory()) out.push(...(await this.walk(childAbs, `${rel}${e.name}/`, visited)));
      else if (stat?.isFile()) out.push(`${rel}${e.name}`);
    }
    return out;
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.pathOf(key), { force: true });
  }

  async replacePartition(prefix: string, fromDir: string, manifest: string): Promise<void> {
    const { folder, files } = await partitionFiles(prefix, fromDir, manifest);
    const target = path.join(this.root, ...folder.slice(0, -1).split('/'));
    // The manifest is copied last, so a complete copy is one that has it (the swap makes this moot for readers).
    const ordered = [...files.filter((f) => f !== manifest), manifest];
    await swapPartition(path.dirname(target), path.basename(target), (dir) => copyFilesDurably(fromDir, dir, ordered));
  }

  private notFound(err: unknown, key: string): Error {
    if (isNotFound(err) || (err as NodeJS.ErrnoException)?.code === 'EISDIR') return new LakeNotFoundError(key, this.uri);
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** A folder's identity: a swap puts a different folder (another inode, born later) at the same path. */
async function folderIdentity(dir: string): Promise<string> {
  const st = await fsp.stat(dir, { bigint: true });
  if (!st.isDirectory()) throw Object.assign(new Error(`${dir} is not a folder`), { code: 'ENOTDIR', path: dir });
  return `${st.dev}:${st.ino}:${st.birthtimeNs}`;
}

/** Whether every folder read during a walk is still the same folder. */
async function sameFolders(visited: Map<string, string>): Promise<boolean> {
  for (const [dir, id] of visited) {
    const now = await folderIdentity(dir).catch(() => null);
    if (now !== id) return false;
  }
  return true;
}
