// The one validator for lake keys and prefixes. Every Lake call passes its key through here, so no key can reach
// outside the lake's root (no "..", no absolute path, no empty segment, no NUL) whatever the backend.
export class InvalidLakeKeyError extends Error {
  constructor(readonly key: string, reason: string) {
    super(`invalid lake key ${JSON.stringify(key)}: ${reason}; use a relative path like "raw/openaq/ds=2024-04-20/_manifest.json"`);
    this.name = 'InvalidLakeKeyError';
  }
}

/** Names starting with this are the file lake's own (temp files, swap folders); no key may use them. */
export const RESERVED_PREFIX = '.windsock-';

/** GCS's object name limit (bytes of UTF-8), applied to every backend so a key valid here is valid everywhere. */
const MAX_KEY_BYTES = 1024;

/** Why `key` is not a valid key, or null when it is. Pure. */
export function keyProblem(key: unknown): string | null {
  if (typeof key !== 'string') return 'not a string';
  if (key === '') return 'empty';
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `longer than ${MAX_KEY_BYTES} bytes`;
  if (key.includes('\0')) return 'contains a NUL character';
  // eslint-disable-next-line no-control-regex
  if (/[\x01-\x1f\x7f]/.test(key)) return 'contains a control character';
  if (key.includes('\\')) return 'contains a backslash (use "/")';
  if (key.startsWith('/')) return 'is absolute (starts with "/")';
  if (/^[A-Za-z]:/.test(key)) return 'is absolute (starts with a drive letter)';
  for (const seg of key.split('/')) {
    if (seg === '') return 'has an empty segment ("//" or a trailing "/")';
    if (seg === '.' || seg === '..') return `has a "${seg}" segment`;
    if (seg.startsWith(RESERVED_PREFIX)) return `uses the reserved name prefix "${RESERVED_PREFIX}"`;
  }
  return null;
}

/** Returns `key` unchanged, or throws InvalidLakeKeyError naming it. */
export function checkKey(key: string): string {
  const problem = keyProblem(key);
  if (problem) throw new InvalidLakeKeyError(key, problem);
  return key;
}

/**
 * A folder prefix, normalised to "" (the whole lake) or "a/b/" (always a trailing slash: list("raw/x") lists the
 * folder raw/x, never raw/x2). Throws InvalidLakeKeyError for anything a key could not be.
 */
export function checkPrefix(prefix: string): string {
  if (prefix === '') return '';
  const body = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  const problem = keyProblem(body);
  if (problem) throw new InvalidLakeKeyError(prefix, problem);
  return `${body}/`;
}
