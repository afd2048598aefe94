// The scalar side of the fast YAML reader: plain scalar resolution (YAML 1.2 core schema, as the `yaml` package
// resolves it) and one-line quoted scalars. `bail()` means "outside the subset: let the full parser decide".

class Bail extends Error {}

/** Thrown (once allocated) whenever the text leaves the subset. */
export const BAIL = new Bail('outside the fast YAML subset');

export function bail(): never {
  throw BAIL;
}

/** Trailing spaces off (YAML trims only spaces here, not the Unicode spaces String.trimEnd also removes). */
export function trimSpaces(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 32) e--;
  return e === s.length ? s : s.slice(0, e);
}

const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const OCT_RE = /^0o[0-7]+$/;
const INT_RE = /^[-+]?[0-9]+$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
const NAN_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** YAML 1.2 core schema resolution of a plain scalar, as the `yaml` package does it. */
export function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  // fast path: most values start with a letter that cannot begin a null, bool or number
  if (s.length && !(c === 126 || c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70 || c === 43 || c === 45 || c === 46 || (c >= 48 && c <= 57))) {
    return s;
  }
  if (NULL_RE.test(s)) return null;
  if (BOOL_RE.test(s)) return s[0] === 't' || s[0] === 'T';
  if (OCT_RE.test(s)) return parseInt(s.slice(2), 8);
  if (INT_RE.test(s)) return parseInt(s, 10);
  if (HEX_RE.test(s)) return parseInt(s.slice(2), 16);
  if (NAN_RE.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity;
  if (FLOAT_RE.test(s)) return parseFloat(s);
  return s;
}

// Characters that cannot start a plain scalar (or need the full parser).
export const PLAIN_START_BAD = new Set(['&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '#', ',', '[', ']', '{', '}', '?', ':', '-']);

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', e: '\x1b', a: '\x07', v: '\v', ' ': ' ',
};

/** A quoted scalar on one line of `text` (the quote at `p`, the line ending at `e`): [value, offset after it]. */
export function readQuoted(text: string, p: number, e: number): [string, number] {
  const quote = text[p];
  let out = '';
  let i = p + 1;
  let from = i;
  for (; i < e; i++) {
    const ch = text[i];
    if (quote === "'") {
      if (ch === "'") {
        if (text[i + 1] === "'") {
          out += text.slice(from, i + 1);
          i++;
          from = i + 1;
          continue;
        }
        return [out + text.slice(from, i), i + 1];
      }
    } else if (ch === '"') return [out + text.slice(from, i), i + 1];
    else if (ch === '\\') {
      out += text.slice(from, i);
      const x = text[i + 1];
      if (x in SIMPLE_ESCAPES) {
        out += SIMPLE_ESCAPES[x];
        i++;
      } else if (x === 'x' || x === 'u' || x === 'U') {
        const len = x === 'x' ? 2 : x === 'u' ? 4 : 8;
        const hex = text.slice(i + 2, i + 2 + len);
        const code = parseInt(hex, 16);
        if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) bail();
        out += String.fromCodePoint(code);
        i += 1 + len;
      } else bail();
      from = i + 1;
    }
  }
  return bail(); // not closed on this line
}
