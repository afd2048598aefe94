// How values look and behave in templates, the Python way: `{{ flag }}` renders True, `{{ none }}` renders None,
// lists and dicts render as Python reprs, and the str / dict methods Airflow templates call (`ds.replace('-', '')`,
// `dag_run.conf.get('k', 'default')`) keep their Python meaning instead of JavaScript's.
import { pyArgs } from './py-args.js';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Python's str() of a value (undefined is the caller's business). */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return pyNumber(v);
  if (Array.isArray(v) || isPlainObject(v)) return pyRepr(v);
  return String(v);
}

function pyNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  return String(n);
}

/** Python's repr() of JSON-like values. */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return quote(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (isPlainObject(v)) {
    return `{${Object.entries(v)
      .filter(([k]) => k !== '__keywords')
      .map(([k, x]) => `${quote(k)}: ${pyRepr(x)}`)
      .join(', ')}}`;
  }
  return pyStr(v);
}

function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
}

/** What Jinja calls an object in "'dict object' has no attribute 'x'". */
export function pyTypeName(v: unknown): string {
  if (typeof v === 'string') return 'str object';
  if (Array.isArray(v)) return 'list object';
  if (isPlainObject(v)) return 'dict object';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int object' : 'float object';
  if (typeof v === 'boolean') return 'bool object';
  const name = (v as object | null)?.constructor?.name;
  return name ? `${name} object` : 'object';
}

type Method = (self: any, ...args: unknown[]) => unknown;

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars === null || chars === undefined ? null : String(chars);
  const strip = (c: string) => (set === null ? /\s/.test(c) : set.includes(c));
  let a = 0;
  let b = s.length;
  if (left) while (a < b && strip(s[a])) a++;
  if (right) while (b > a && strip(s[b - 1])) b--;
  return s.slice(a, b);
}

const prefixes = (p: unknown): string[] => (Array.isArray(p) ? p.map(String) : [String(p)]);

/** Python str methods whose names or meaning differ from JavaScript's. */
const STR_METHODS: Record<string, Method> = {
  replace(s: string, ...args) {
    const { old, new: repl, count } = pyArgs('replace', args, ['old', 'new', 'count'], { count: -1 });
    const parts = s.split(String(old));
    const n = Number(count);
    if (n < 0 || n >= parts.length - 1) return parts.join(String(repl));
    return parts.slice(0, n + 1).join(String(repl)) + String(old) + parts.slice(n + 1).join(String(old));
  },
  split(s: string, ...args) {
    const { sep, maxsplit } = pyArgs('split', args, ['sep', 'maxsplit'], { sep: null, maxsplit: -1 });
    const max = Number(maxsplit);
    if (sep === null) {
      const words = s.trim().split(/\s+/).filter(Boolean);
      if (max < 0 || words.length <= max + 1) return words;
      const rest = s.trimStart().replace(new RegExp(`^(?:\\S+\\s+){${max}}`), '');
      return [...words.slice(0, max), rest];
    }
    const parts = s.split(String(sep));
    if (max < 0 || parts.length <= max + 1) return parts;
    return [...parts.slice(0, max), parts.slice(max).join(String(sep))];
  },
  strip: (s: string, chars?: unknown) => stripChars(s, chars, true, true),
  lstrip: (s: string, chars?: unknown) => stripChars(s, chars, true, false),
  rstrip: (s: string, chars?: unknown) => stripChars(s, chars, false, true),
  upper: (s: string) => s.toUpperCase(),
  lower: (s: string) => s.toLowerCase(),
  capitalize: (s: string) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  title: (s: string) => s.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_m, a: string, b: string) => a + b.toUpperCase()),
  startswith: (s: string, p: unknown) => prefixes(p).some((x) => s.startsWith(x)),
  endswith: (s: string, p: unknown) => prefixes(p).some((x) => s.endsWith(x)),
  join: (s: string, items: unknown) => (Array.isArray(items) ? items.map(String) : [...String(items)]).join(s),
  zfill: (s: string, width: unknown) => {
    const sign = s[0] === '-' || s[0] === '+' ? s[0] : '';
    return sign + s.slice(sign.length).padStart(Number(width) - sign.length, '0');
  },
  find: (s: string, sub: unknown) => s.indexOf(String(sub)),
  count: (s: string, sub: unknown) => s.split(String(sub)).length - 1,
  isdigit: (s: string) => /^\d+$/.test(s),
};

/** Python dict methods, for plain objects that do not hold a key of that name. */
const DICT_METHODS: Record<string, Method> = {
  get(d: Record<string, unknown>, ...args) {
    const { key, default: dflt } = pyArgs('get', args, ['key', 'default'], { default: null });
    const k = String(key);
    return Object.prototype.hasOwnProperty.call(d, k) && d[k] !== undefined ? d[k] : dflt;
  },
  items: (d: Record<string, unknown>) => Object.entries(d),
  keys: (d: Record<string, unknown>) => Object.keys(d),
  values: (d: Record<string, unknown>) => Object.values(d),
};

/** The Python method `name` of `obj`, bound, or undefined when Python semantics do not apply. */
export function pythonMethod(obj: unknown, name: string): ((...args: unknown[]) => unknown) | undefined {
  let m: Method | undefined;
  if (typeof obj === 'string') m = Object.prototype.hasOwnProperty.call(STR_METHODS, name) ? STR_METHODS[name] : undefined;
  else if (isPlainObject(obj) && !Object.prototype.hasOwnProperty.call(obj, name))
    m = Object.prototype.hasOwnProperty.call(DICT_METHODS, name) ? DICT_METHODS[name] : undefined;
  return m && ((...args: unknown[]) => m(obj, ...args));
}
