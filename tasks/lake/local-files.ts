// Durable local file writes for the file lake: write aside, fsync, rename, so a reader (or a crash) never sees half a
// file. Node cannot fsync a directory on every platform, so directory syncs are best effort.
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { checkKey, checkPrefix, RESERVED_PREFIX } from './lake-key.js';

export function randomId(): string {
  return randomBytes(8).toString('hex');
}

export function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export async function pathExists(p: string): Promise<boolean> {
  try {
    await fsp.lstat(p);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

export async function fsyncDir(dir: string): Promise<void> {
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(dir, 'r');
    await fh.sync();
  } catch {
    // Not supported on this platform or filesystem: the rename is still atomic, only its durability is weaker.
  } finally {
    await fh?.close();
  }
}

/** Write `body` to `file` atomically: a temp file in the same folder, fsync, rename over the target. */
export async function writeFileAtomic(file: string, body: Uint8Array | string | Readable): Promise<void> {
  const dir = path.dirname(file);
  await fsp.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `${RESERVED_PREFIX}tmp-${path.basename(file)}-${randomId()}`);
  try {
    const fh = await fsp.open(tmp, 'wx');
    try {
      if (typeof body === 'string' || body instanceof Uint8Array) await fh.writeFile(body);
      else for await (const chunk of body) await fh.write(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dir);
}

/** Regular files under `dir`, as '/'-separated paths relative to it, sorted. */
export async function listFilesRecursive(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (abs: string, rel: string): Promise<void> => {
    for (const e of await fsp.readdir(abs, { withFileTypes: true })) {
      const childAbs = path.join(abs, e.name);
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      const isDir = e.isDirectory() || (e.isSymbolicLink() && (await fsp.stat(childAbs).catch(() => null))?.isDirectory());
      if (isDir) await walk(childAbs, childRel);
      else out.push(childRel);
    }
  };
  await walk(dir, '');
  return out.sort();
}

/** Copy the files `rels` (in that order) from `fromDir` into `toDir`, fsyncing each one. */
export async function copyFilesDurably(fromDir: string, toDir: string, rels: string[]): Promise<void> {
  for (const rel of rels) {
    const dest = path.join(toDir, ...rel.split('/'));
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    await fsp.copyFile(path.join(fromDir, ...rel.split('/')), dest);
    const fh = await fsp.open(dest, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
}

/**
 * What `Lake.replacePartition` publishes, checked the same way by every backend: the partition's folder (a real
 * prefix, not the whole lake) and the files under `fromDir`, the manifest among them, each a valid key there.
 */
export async function partitionFiles(prefix: string, fromDir: string, manifest: string): Promise<{ folder: string; files: string[] }> {
  const folder = checkPrefix(prefix);
  if (folder === '') throw new Error('replacePartition needs a partition prefix, not the whole lake');
  checkKey(manifest);
  const files = await listFilesRecursive(fromDir);
  if (!files.includes(manifest)) throw new Error(`${path.join(fromDir, manifest)} is missing: a partition is published with its manifest`);
  for (const f of files) checkKey(`${folder}${f}`);
  return { folder, files };
}
