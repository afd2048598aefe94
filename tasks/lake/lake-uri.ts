// WINDSOCK_LAKE parsing: file:///absolute/path or gs://bucket/prefix. Pure; open-lake.ts builds the backend.
import { fileURLToPath } from 'node:url';
import { keyProblem } from './lake-key.js';

export type LakeLocation = { kind: 'file'; root: string; uri: string } | { kind: 'gcs'; bucket: string; prefix: string; uri: string };

/** Why a lake URI is unusable, as one line naming the setting and the fix. */
export class LakeUriError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LakeUriError';
  }
}

const USAGE = 'use file:///path or gs://bucket/prefix';
/** GCS bucket names: 3-63 characters (222 with dots), lowercase letters, digits, "-", "_" and ".", alphanumeric ends. */
const BUCKET = /^[a-z0-9](?:[a-z0-9._-]{1,220})[a-z0-9]$/;

export function parseLakeUri(uri: string, setting = 'WINDSOCK_LAKE'): LakeLocation {
  const quoted = `${setting}='${uri}'`;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  if (!scheme) throw new LakeUriError(`${quoted} has no scheme: ${USAGE}`);
  if (scheme === 'file') return parseFile(uri, quoted);
  if (scheme === 'gs') return parseGcs(uri, quoted);
  throw new LakeUriError(`${quoted} has an unknown scheme: ${USAGE}`);
}

function parseFile(uri: string, quoted: string): LakeLocation {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new LakeUriError(`${quoted} is not a valid file URI: use file:///absolute/path`);
  }
  if (url.host !== '' && url.host !== 'localhost') {
    throw new LakeUriError(`${quoted} names the host "${url.host}": use file:///absolute/path (three slashes)`);
  }
  if (url.search || url.hash) throw new LakeUriError(`${quoted} has a query or fragment: use file:///absolute/path`);
  const root = fileURLToPath(url);
  if (root === '/' || root === '') throw new LakeUriError(`${quoted} is the filesystem root: use a folder, e.g. file:///data/lake`);
  return { kind: 'file', root, uri };
}

function parseGcs(uri: string, quoted: string): LakeLocation {
  const m = /^gs:\/\/([^/?#]*)(?:\/([^?#]*))?$/i.exec(uri);
  const bad = (why: string) => new LakeUriError(`${quoted} is not a valid GCS URI (${why}): use gs://bucket/prefix`);
  if (!m) throw bad('a query or fragment is not allowed');
  const bucket = m[1]!;
  if (bucket === '') throw bad('no bucket');
  if (!BUCKET.test(bucket) || bucket.includes('..') || (!bucket.includes('.') && bucket.length > 63)) {
    throw bad(`bucket "${bucket}" must be 3-63 lowercase letters, digits, "-", "_" or "."`);
  }
  const prefix = (m[2] ?? '').replace(/\/$/, '');
  if (prefix !== '') {
    const problem = keyProblem(prefix);
    if (problem) throw bad(`prefix "${prefix}" ${problem}`);
  }
  return { kind: 'gcs', bucket, prefix, uri };
}
