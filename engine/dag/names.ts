// The one validator for every name that reaches a path or a URL: DAG ids, task ids, task group names, run ids, pools,
// variable keys and user names. A name may only hold a small alphabet (never '/', '\', NUL, a control character or a
// space), is never '.' or '..', and is short enough that every file name built from it fits (Dagu's rule, with
// Airflow's alphabets). Checking names where they enter (DAG files, CLI flags, HTTP) is what closes path traversal.
import { UserError } from '../types.js';

export type NameKind = 'DAG id' | 'task id' | 'task group name' | 'run id' | 'pool' | 'variable key' | 'username';

/**
 * A path component must stay under 255 bytes (NAME_MAX on ext4, XFS, APFS; NTFS counts 255 UTF-16 units). Names
 * become components in Airflow's log layout, `dag_id=<D>/run_id=<R>/task_id=<T>/attempt=<N>.log`, so each cap is 254
 * minus the longest text put around that name. Caps count UTF-8 bytes.
 */
export const MAX_COMPONENT_BYTES = 254;

/** The text that windsock puts before a name in a file name built from it (engine/run/task-log.ts). */
export const LOG_FOLDER_PREFIX = { 'DAG id': 'dag_id=', 'run id': 'run_id=', 'task id': 'task_id=' } as const;

/** Airflow's ID_LEN: where no file name is built from a name, the database column's limit. */
const ID_LEN = 250;

interface Rule {
  /** A regex character class body. */
  chars: string;
  /** The same alphabet, for people. */
  charsText: string;
  maxBytes: number;
}

const ID_CHARS = 'A-Za-z0-9._-';
const ID_TEXT = "letters, digits, '.', '_' and '-'";
const pathCap = (prefix: string) => MAX_COMPONENT_BYTES - prefix.length;

const RULES: Record<NameKind, Rule> = {
  // Airflow's KEY_REGEX, limited to ASCII.
  'DAG id': { chars: ID_CHARS, charsText: ID_TEXT, maxBytes: pathCap(LOG_FOLDER_PREFIX['DAG id']) },
  'task id': { chars: ID_CHARS, charsText: ID_TEXT, maxBytes: pathCap(LOG_FOLDER_PREFIX['task id']) },
  // A group's name prefixes its tasks' ids ("group.task"), which are checked in full as task ids.
  'task group name': { chars: ID_CHARS, charsText: ID_TEXT, maxBytes: pathCap(LOG_FOLDER_PREFIX['task id']) },
  // Airflow's `[scheduler] allowed_run_id_pattern` default (apache/airflow#32293): `^[A-Za-z0-9_.~:+-]+$`, which
  // holds generated ids such as manual__2024-04-20T10:00:00.123456+00:00.
  'run id': { chars: 'A-Za-z0-9_.~:+-', charsText: "letters, digits, '.', '_', '~', ':', '+' and '-'", maxBytes: pathCap(LOG_FOLDER_PREFIX['run id']) },
  pool: { chars: ID_CHARS, charsText: ID_TEXT, maxBytes: ID_LEN },
  // Also an environment variable name (AIRFLOW_VAR_<KEY>).
  'variable key': { chars: ID_CHARS, charsText: ID_TEXT, maxBytes: ID_LEN },
  // '@' too, for user names that are e-mail addresses (allowed as is in a URL path segment, RFC 3986 pchar).
  username: { chars: 'A-Za-z0-9._@-', charsText: "letters, digits, '.', '_', '@' and '-'", maxBytes: ID_LEN },
};

const MATCHERS = Object.fromEntries(Object.entries(RULES).map(([k, r]) => [k, new RegExp(`^[${r.chars}]+$`)])) as Record<NameKind, RegExp>;
const OUTSIDE = Object.fromEntries(Object.entries(RULES).map(([k, r]) => [k, new RegExp(`[^${r.chars}]`, 'gu')])) as Record<NameKind, RegExp>;

/** The longest valid name of `kind`, in UTF-8 bytes. */
export function maxNameBytes(kind: NameKind): number {
  return RULES[kind].maxBytes;
}

/** A JSON Schema / regex pattern for names of `kind`. */
export function namePattern(kind: NameKind): string {
  return `^[${RULES[kind].chars}]+$`;
}

/** Why `value` is not a valid name of `kind`, or null when it is. The message names the kind and what to use. */
export function checkName(kind: NameKind, value: unknown): string | null {
  const rule = RULES[kind];
  if (typeof value !== 'string') return `${kind} must be a string, got ${value === null ? 'null' : typeof value}`;
  if (value === '') return `${kind} is empty: use ${rule.charsText}`;
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > rule.maxBytes) return `${kind} ${shown(value)} is ${bytes} bytes long: the limit is ${rule.maxBytes}`;
  if (value === '.' || value === '..') return `${kind} '${value}' is not allowed: pick a name with letters or digits`;
  if (!MATCHERS[kind].test(value)) {
    const bad = [...new Set(value.match(OUTSIDE[kind]) ?? [])].slice(0, 5).map(describeChar).join(', ');
    return `${kind} ${shown(value)} contains ${bad}: use only ${rule.charsText}`;
  }
  return null;
}

/** `value` when it is a valid name of `kind`; else a UserError saying where it came from (a flag, an argument). */
export function requireName(kind: NameKind, value: unknown, where?: string): string {
  const problem = checkName(kind, value);
  if (problem) throw new UserError(where ? `${where}: ${problem}` : problem);
  return value as string;
}

/** Characters that would break a one-line message or reorder it on a terminal: controls, separators, bidi marks. */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/gu;
const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A name for a one-line message: quoted, unprintable characters escaped, long ones shortened. */
function shown(value: string): string {
  const cut = [...value];
  const text = cut.length > 40 ? `${cut.slice(0, 40).join('')}...` : value;
  if (!text.match(UNPRINTABLE)) return `'${text}'`;
  return `"${text.replace(UNPRINTABLE, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

function describeChar(c: string): string {
  if (c === ' ') return 'space';
  if (c === '\0') return 'NUL';
  if (c === '\n') return 'newline';
  if (c === '\t') return 'tab';
  const code = c.codePointAt(0)!;
  if (c.match(UNPRINTABLE)) return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${c}'`;
}
