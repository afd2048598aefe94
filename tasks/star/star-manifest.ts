// The star zone's manifests, as the raw zone has: every table partition star/<table>/ds=<ds>/ carries a _manifest.json
// listing its files with their size and sha256. star.transform writes it into the partition it publishes (the lake
// copies it last: the commit point), and warehouse.load_star checks every byte it will load against it before it
// writes anything. Independent of how the Parquet files are produced: this module only hashes what is in a folder.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { LakeNotFoundError, type Lake } from '../lake/lake.js';
import { listFilesRecursive } from '../lake/local-files.js';
import { starPartitionPrefix, type StarTableName } from './schema.js';

export const STAR_MANIFEST = '_manifest.json';

export const StarManifestFile = z.object({
  /** Relative to the partition folder, e.g. "part-0.parquet". */
  path: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type StarManifestFile = z.infer<typeof StarManifestFile>;

export const StarManifest = z.object({
  format: z.literal('windsock.star/1'),
  table: z.string(),
  ds: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** Shared by the tables one transform wrote: a ds whose tables disagree was left half-written. */
  batch: z.string().min(1),
  created_at: z.string(),
  files: z.array(StarManifestFile).min(1),
});
export type StarManifest = z.infer<typeof StarManifest>;

/** A star partition that cannot be trusted; the message names the file and what to run. */
export class StarPartitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StarPartitionError';
  }
}

/** One id for the tables of one transform. */
export function newStarBatch(): string {
  return `${new Date().toISOString()}-${randomBytes(4).toString('hex')}`;
}

export function starManifestKey(table: StarTableName, ds: string): string {
  return `${starPartitionPrefix(table, ds)}${STAR_MANIFEST}`;
}

/** Hash every file of the staged partition `dir` and write its manifest there (the previous one, if any, replaced). */
export async function writeStarManifest(dir: string, table: StarTableName, ds: string, batch: string): Promise<StarManifest> {
  const files: StarManifestFile[] = [];
  for (const rel of await listFilesRecursive(dir)) {
    if (rel === STAR_MANIFEST) continue;
    const { bytes, sha256 } = await hashStream(createReadStream(path.join(dir, ...rel.split('/'))));
    files.push({ path: rel, bytes, sha256 });
  }
  if (files.length === 0) throw new Error(`${dir} holds no file to publish as star/${table}/ds=${ds}/`);
  const manifest: StarManifest = { format: 'windsock.star/1', table, ds, batch, created_at: new Date().toISOString(), files };
  await fsp.writeFile(path.join(dir, STAR_MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Publish the staged folder `dir` as the table's partition of `ds`, with its manifest. */
export async function publishStarPartition(lake: Lake, dir: string, table: StarTableName, ds: string, batch: string): Promise<StarManifest> {
  const manifest = await writeStarManifest(dir, table, ds, batch);
  await lake.replacePartition(starPartitionPrefix(table, ds), dir, STAR_MANIFEST);
  return manifest;
}

export async function hashStream(body: Readable): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  body.on('data', (c: Buffer) => (bytes += c.length));
  await pipeline(body, hash);
  return { bytes, sha256: hash.digest('hex') };
}

/** A star partition being read, for messages: which lake and day, and the task ids a rerun hint names. */
export interface StarSource {
  lake: Lake;
  ds: string;
  dagId: string;
  /** The task that loads the star (cleared with the transform in the hint). */
  loadTask: string;
}

export const starWhere = (src: StarSource, key: string) => `${src.lake.uri.replace(/\/+$/, '')}/${key}`;

/** What to run when a star partition is missing or damaged. */
export function rerunTransform(src: Omit<StarSource, 'lake'>): string {
  const { ds, dagId, loadTask } = src;
  return `run the transform for ${ds} again (dag tasks clear ${dagId} -t 'transform|${loadTask}' -s ${ds} -e ${ds} -y, then dag run ${dagId} --date ${ds})`;
}

/**
 * The manifests of `tables` for the day, parsed, each for its table and day, all from one transform. A partition
 * with nothing in it is "not built yet"; one whose manifest is missing beside its files, or unreadable, is damaged.
 */
export async function readStarManifests<T extends StarTableName>(src: StarSource, tables: readonly T[]): Promise<Record<T, StarManifest>> {
  const { lake, ds, dagId } = src;
  const out = {} as Record<T, StarManifest>;
  for (const table of tables) {
    const key = starManifestKey(table, ds);
    let text: string;
    try {
      text = (await lake.get(key)).toString('utf8');
    } catch (err) {
      if (!(err instanceof LakeNotFoundError)) throw err;
      const prefix = starPartitionPrefix(table, ds);
      if ((await lake.list(prefix)).length === 0) {
        throw new StarPartitionError(`no star partition ${prefix} in ${lake.uri}: run the transform task for ${ds} first (dag run ${dagId} --date ${ds})`);
      }
      throw new StarPartitionError(`star partition ${starWhere(src, prefix)} has no ${STAR_MANIFEST} (written by an older windsock, or damaged): ${rerunTransform(src)}`);
    }
    out[table] = parseStarManifest(src, text, key, table);
  }
  const batches = new Set(tables.map((t) => out[t].batch));
  if (batches.size > 1) {
    const detail = tables.map((t) => `${t} of ${out[t].created_at}`).join(', ');
    throw new StarPartitionError(`the star partitions of ${ds} in ${lake.uri} come from different transforms (${detail}): one was interrupted; ${rerunTransform(src)}`);
  }
  return out;
}

function parseStarManifest(src: StarSource, text: string, key: string, table: StarTableName): StarManifest {
  const at = starWhere(src, key);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new StarPartitionError(`${at} is not valid JSON (${(err as Error).message}): ${rerunTransform(src)}`);
  }
  const parsed = StarManifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new StarPartitionError(`${at}: ${issue.path.join('.') || '(manifest)'}: ${issue.message}; it is not a windsock.star/1 manifest: ${rerunTransform(src)}`);
  }
  const m = parsed.data;
  if (m.table !== table || m.ds !== src.ds) throw new StarPartitionError(`${at} is the manifest of ${m.table} ds ${m.ds}, not ${table} ds ${src.ds}: ${rerunTransform(src)}`);
  return m;
}

/** The manifest's entry for `file` (a name in the partition folder); the partition is damaged without one. */
export function manifestEntry(src: StarSource, table: StarTableName, m: StarManifest, file: string): StarManifestFile {
  const entry = m.files.find((f) => f.path === file);
  if (!entry) throw new StarPartitionError(`${starWhere(src, starManifestKey(table, src.ds))} does not list ${file}: ${rerunTransform(src)}`);
  return entry;
}

/** Throws naming the file when what was read does not match its manifest entry. */
export function checkStarFile(src: StarSource, key: string, entry: StarManifestFile, actual: { bytes: number; sha256: string }): void {
  const why =
    actual.bytes !== entry.bytes
      ? `${actual.bytes} bytes, the manifest says ${entry.bytes}`
      : actual.sha256 !== entry.sha256
        ? `sha256 ${actual.sha256.slice(0, 12)}..., the manifest says ${entry.sha256.slice(0, 12)}...`
        : null;
  if (why) throw new StarPartitionError(`star file ${starWhere(src, key)} does not match its manifest (${why}): the partition is damaged; ${rerunTransform(src)}`);
}

/** A lake read of a listed file that found nothing, as the error to report; other errors as they are. */
export function missingStarFile(src: StarSource, err: unknown, key: string): unknown {
  if (err instanceof LakeNotFoundError) return new StarPartitionError(`star file ${starWhere(src, key)} is listed in its manifest but missing: ${rerunTransform(src)}`);
  return err;
}
