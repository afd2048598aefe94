// Checking a raw partition staged by openaq.extract before it is published: the manifest parses, belongs to the day,
// and every page it lists is there with the recorded size and sha256. Only listed files are published.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MANIFEST_FILE, parseRawManifest, type RawManifest } from '../openaq/raw-format.js';
import { keyProblem } from './lake-key.js';
import { isNotFound } from './local-files.js';

export class StagedPartitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StagedPartitionError';
  }
}

export interface StagedPartition {
  dir: string;
  manifest: RawManifest;
  /** Paths relative to dir: every listed page, then the manifest. */
  files: string[];
  /** Total bytes of `files`. */
  bytes: number;
}

/** `$home/staging/<source>/ds=<ds>` */
export function stagingDir(home: string, source: string, ds: string): string {
  return path.join(home, 'staging', source, `ds=${ds}`);
}

/** Verify the staged partition in `dir` for `ds`; `rerun` is the command that stages it again (for messages). */
export async function verifyStagedPartition(dir: string, ds: string, rerun: string): Promise<StagedPartition> {
  try {
    if (!(await fsp.stat(dir)).isDirectory()) throw new StagedPartitionError(`${dir} is not a folder: ${rerun}`);
  } catch (err) {
    if (isNotFound(err)) throw new StagedPartitionError(`nothing staged for ds=${ds} at ${dir}: run the extract task first (${rerun})`);
    throw err;
  }
  const manifestPath = path.join(dir, MANIFEST_FILE);
  const manifest = await readManifest(manifestPath, rerun);
  if (manifest.ds !== ds) {
    throw new StagedPartitionError(`${manifestPath} is for ds=${manifest.ds}, not ds=${ds}: ${rerun}`);
  }

  const problems: string[] = [];
  const seen = new Set<string>();
  let bytes = 0;
  for (const page of manifest.pages) {
    const problem = keyProblem(page.path);
    if (problem || page.path === MANIFEST_FILE) problems.push(`${page.path} (not a valid page path${problem ? `: ${problem}` : ''})`);
    else if (seen.has(page.path)) problems.push(`${page.path} (listed twice)`);
    else {
      seen.add(page.path);
      const found = await checkPage(path.join(dir, ...page.path.split('/')), page.bytes, page.sha256);
      if (found) problems.push(`${page.path} (${found})`);
      bytes += page.bytes;
    }
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join('; ') + (problems.length > 5 ? `; and ${problems.length - 5} more` : '');
    const what = problems.length === 1 ? 'staged page does not match' : `${problems.length} staged pages do not match`;
    throw new StagedPartitionError(`${what} ${manifestPath}: ${shown}: ${rerun}`);
  }
  bytes += (await fsp.stat(manifestPath)).size;
  return { dir, manifest, files: [...manifest.pages.map((p) => p.path), MANIFEST_FILE], bytes };
}

async function readManifest(file: string, rerun: string): Promise<RawManifest> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    if (isNotFound(err)) throw new StagedPartitionError(`${file} is missing (the extract did not finish): ${rerun}`);
    throw err;
  }
  const parsed = parseRawManifest(text);
  if ('notJson' in parsed) throw new StagedPartitionError(`${file} is not valid JSON (${parsed.notJson}): ${rerun}`);
  if ('field' in parsed) throw new StagedPartitionError(`${file} is not a raw manifest: ${parsed.field || '(root)'}: ${parsed.message}: ${rerun}`);
  return parsed.manifest;
}

/** What is wrong with one staged page, or null. */
async function checkPage(file: string, bytes: number, sha256: string): Promise<string | null> {
  let size: number;
  try {
    const st = await fsp.stat(file);
    if (!st.isFile()) return 'not a file';
    size = st.size;
  } catch (err) {
    if (isNotFound(err)) return 'missing';
    throw err;
  }
  if (size !== bytes) return `${size} bytes, the manifest says ${bytes}`;
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  const actual = hash.digest('hex');
  return actual === sha256 ? null : `sha256 ${actual.slice(0, 12)}..., the manifest says ${sha256.slice(0, 12)}...`;
}
