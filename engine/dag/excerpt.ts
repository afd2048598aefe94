// Text from a DAG file inside an error message: short and on one line. Messages quote names and short values the
// user wrote, never a whole value or the file's contents (the file may be a symlink to a secret, or binary).

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Control characters (newlines included) as \n, \t or \u00XX escapes, so a message stays one readable line. */
export function escapeControls(s: string): string {
  return s.replace(CONTROL, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** `s` escaped and cut to about `max` characters ("..." marks the cut). */
export function excerpt(s: string, max = 40): string {
  const escaped = escapeControls(s.length > max ? s.slice(0, max) : s);
  if (escaped.length <= max && s.length <= max) return escaped;
  return `${escaped.slice(0, max)}...`;
}

/**
 * What kind of value `v` is ("a string", "a list", ...), for messages that must not quote it. Numbers and booleans
 * are shown as they are: short, and what the user needs to see ("got 3").
 */
export function kindOf(v: unknown): string {
  if (v === undefined || v === null) return 'nothing';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return typeof v;
}
