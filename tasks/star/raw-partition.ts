// Reading a raw partition (raw-format.ts) from the lake: its manifest, then its pages in a given order, each checked
// against the manifest (size and sha256) before anyone reads it. Pages are fetched a few ahead and hashed on the
// thread pool (WebCrypto), so reading and hashing overlap with the caller's parsing of the previous page.
import { webcrypto } from 'node:crypto';
import { LakeNotFoundError, type Lake } from '../lake/lake.js';
import { MANIFEST_FILE, parseRawManifest, rawPartitionPrefix, type ManifestPage, type RawManifest } from '../openaq/raw-format.js';
import { inOrder } from '../concurrency.js';

/** A raw partition the transform cannot use; the message says which file and what to do. */
export class RawPartitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RawPartitionError';
  }
}

export interface RawPartition {
  ds: string;
  dagId: string;
  prefix: string;
  manifest: RawManifest;
  /** Where a key is, for messages: the lake URI joined with the key. */
  where(key: string): string;
}

export interface VerifiedPage {
  page: ManifestPage;
  key: string;
  bytes: Buffer;
}

const rerun = (ds: string, dagId: string) => `run the extract and load_raw tasks for ${ds} first (dag run ${dagId} --date ${ds})`;

export async function openRawPartition(lake: Lake, ds: string, dagId = 'openaq'): Promise<RawPartition> {
  const prefix = rawPartitionPrefix(ds);
  const where = (key: string) => `${lake.uri.replace(/\/+$/, '')}/${key}`;
  let text: string;
  try {
    text = (await lake.get(`${prefix}${MANIFEST_FILE}`)).toString('utf8');
  } catch (err) {
    if (err instanceof LakeNotFoundError) throw new RawPartitionError(`no raw partition ${prefix} in ${lake.uri}: ${rerun(ds, dagId)}`);
    throw err;
  }
  const parsed = parseRawManifest(text);
  if ('notJson' in parsed) throw new RawPartitionError(`${where(prefix + MANIFEST_FILE)} is not valid JSON (${parsed.notJson}): ${rerun(ds, dagId)}`);
  if ('field' in parsed) {
    throw new RawPartitionError(`${where(prefix + MANIFEST_FILE)}: ${parsed.field || '(manifest)'}: ${parsed.message}; it is not a windsock.openaq.raw/1 manifest: ${rerun(ds, dagId)}`);
  }
  const { manifest } = parsed;
  if (manifest.ds !== ds) throw new RawPartitionError(`${where(prefix + MANIFEST_FILE)} is the manifest of ds ${manifest.ds}, not ${ds}: ${rerun(ds, dagId)}`);
  return { ds, dagId, prefix, manifest, where };
}

/** The pages in the order given, each verified; at most `ahead` fetched before the caller asks for them. */
export function verifiedPages(lake: Lake, part: RawPartition, pages: readonly ManifestPage[], ahead = 6): AsyncGenerator<VerifiedPage> {
  return inOrder(pages, ahead, async (page) => {
    const { key, bytes } = await readPage(lake, part, page);
    const digest = Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex');
    checkDigest(part, key, page, digest);
    return { page, key, bytes };
  });
}

/** A page's bytes, checked to exist and to have the manifest's size (its sha256 is the caller's to check). */
export async function readPage(lake: Lake, part: RawPartition, page: ManifestPage): Promise<{ key: string; bytes: Buffer }> {
  const key = `${part.prefix}${page.path}`;
  let bytes: Buffer;
  try {
    bytes = await lake.get(key);
  } catch (err) {
    if (err instanceof LakeNotFoundError) throw missingPage(part, key);
    throw err;
  }
  checkSize(part, key, page, bytes.length);
  return { key, bytes };
}

export function missingPage(part: RawPartition, key: string): RawPartitionError {
  return new RawPartitionError(`raw page ${part.where(key)} is listed in the manifest but missing: ${rerun(part.ds, part.dagId)}`);
}

export function checkSize(part: RawPartition, key: string, page: ManifestPage, size: number): void {
  if (size !== page.bytes) {
    throw new RawPartitionError(`raw page ${part.where(key)} does not match its manifest checksum (${size} bytes, the manifest says ${page.bytes}): the partition is damaged; ${rerun(part.ds, part.dagId)}`);
  }
}

export function checkDigest(part: RawPartition, key: string, page: ManifestPage, sha256: string): void {
  if (sha256 !== page.sha256) {
    throw new RawPartitionError(`raw page ${part.where(key)} does not match its manifest checksum (sha256 ${sha256}, the manifest says ${page.sha256}): the partition is damaged; ${rerun(part.ds, part.dagId)}`);
  }
}
