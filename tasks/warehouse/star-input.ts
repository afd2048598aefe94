// The star files of one ds, checked against their manifests (star-manifest.ts) before a warehouse loads a byte of
// them: every file's size and sha256, and all tables from one transform. DuckDB gets local paths (straight into a
// file:// lake, or downloads from a gs:// lake verified on the way); BigQuery reads from gs:// itself once checked.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Lake } from '../lake/lake.js';
import { FileLake } from '../lake/file-lake.js';
import { STAR_FILE, STAR_TABLES, starFileKey, type StarTableName } from '../star/schema.js';
import { checkStarFile, hashStream, manifestEntry, missingStarFile, readStarManifests, type StarSource } from '../star/star-manifest.js';

export interface LocalStarFiles {
  files: Record<StarTableName, string>;
  /** Each file's sha256, as checked against its manifest. */
  sha256: Record<StarTableName, string>;
  /** Removes what was downloaded (nothing for a file lake). */
  cleanup(): Promise<void>;
}

/** For messages: the DAG whose transform builds the star files, and the task that loads them. */
export interface StarInputRef {
  dagId?: string;
  loadTask?: string;
}

const source = (lake: Lake, ds: string, ref: StarInputRef): StarSource => ({ lake, ds, dagId: ref.dagId ?? 'openaq', loadTask: ref.loadTask ?? 'load_star' });

const tableNames = STAR_TABLES.map((t) => t.name);

/** Files up to this size are read whole and hashed at once: a stream costs ~1.5 ms more per file, and a day's are KBs. */
const READ_WHOLE_BYTES = 8 * 1024 * 1024;

/**
 * Reads `table`'s Parquet file of the day from the lake, checks it against the manifest, and copies it to `toFile`.
 * Returns its sha256.
 */
async function verifyFile(src: StarSource, table: StarTableName, manifest: Parameters<typeof manifestEntry>[2], toFile?: string): Promise<string> {
  const key = starFileKey(table, src.ds);
  const entry = manifestEntry(src, table, manifest, STAR_FILE);
  let actual;
  if (entry.bytes <= READ_WHOLE_BYTES) {
    let bytes: Buffer;
    try {
      bytes = await src.lake.get(key);
    } catch (err) {
      throw missingStarFile(src, err, key);
    }
    actual = { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    checkStarFile(src, key, entry, actual);
    if (toFile) await fsp.writeFile(toFile, bytes);
    return actual.sha256;
  }
  const body = src.lake.getStream(key);
  try {
    if (toFile) {
      const tee = new PassThrough();
      const hashed = hashStream(tee);
      await pipeline(body, tee, createWriteStream(toFile));
      actual = await hashed;
    } else {
      actual = await hashStream(body);
    }
  } catch (err) {
    throw missingStarFile(src, err, key);
  }
  checkStarFile(src, key, entry, actual);
  return actual.sha256;
}

/** Fails naming the first star file of `ds` that is missing or does not match its manifest. */
export async function checkStarPartition(lake: Lake, ds: string, ref: StarInputRef = {}): Promise<void> {
  const src = source(lake, ds, ref);
  const manifests = await readStarManifests(src, tableNames);
  for (const t of tableNames) await verifyFile(src, t, manifests[t]);
}

export async function localStarFiles(lake: Lake, ds: string, ref: StarInputRef = {}): Promise<LocalStarFiles> {
  const src = source(lake, ds, ref);
  const manifests = await readStarManifests(src, tableNames);
  const sha256 = {} as Record<StarTableName, string>;
  if (lake instanceof FileLake) {
    for (const t of tableNames) sha256[t] = await verifyFile(src, t, manifests[t]);
    const files = Object.fromEntries(tableNames.map((t) => [t, lake.pathOf(starFileKey(t, ds))])) as Record<StarTableName, string>;
    return { files, sha256, cleanup: async () => undefined };
  }
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'windsock-star-'));
  try {
    const files = {} as Record<StarTableName, string>;
    for (const t of tableNames) {
      files[t] = path.join(dir, `${t}.parquet`);
      sha256[t] = await verifyFile(src, t, manifests[t], files[t]);
    }
    return { files, sha256, cleanup: () => fsp.rm(dir, { recursive: true, force: true }) };
  } catch (err) {
    await fsp.rm(dir, { recursive: true, force: true });
    throw err;
  }
}
