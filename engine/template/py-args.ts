// Python-style argument binding for functions called from templates. nunjucks passes Jinja keyword arguments
// (`f(1, key='v')`) as a trailing object flagged `__keywords`; this binds positional and keyword arguments to names.

export function isKeywords(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.prototype.hasOwnProperty.call(v, '__keywords');
}

/**
 * Bind `args` to `names` like a Python signature. Names missing from `defaults` are required. Throws a TypeError
 * worded like Python's for unknown, duplicated or missing arguments.
 */
export function pyArgs(fn: string, args: unknown[], names: string[], defaults: Record<string, unknown>): Record<string, unknown> {
  const kw = args.length && isKeywords(args[args.length - 1]) ? (args[args.length - 1] as Record<string, unknown>) : null;
  const positional = kw ? args.slice(0, -1) : args;
  if (positional.length > names.length) throw new TypeError(`${fn}() takes at most ${names.length} argument(s) (${positional.length} given)`);
  const out: Record<string, unknown> = {};
  positional.forEach((v, i) => (out[names[i]] = v));
  if (kw) {
    for (const [k, v] of Object.entries(kw)) {
      if (k === '__keywords') continue;
      if (!names.includes(k)) throw new TypeError(`${fn}() got an unexpected keyword argument '${k}'`);
      if (k in out) throw new TypeError(`${fn}() got multiple values for argument '${k}'`);
      out[k] = v;
    }
  }
  for (const n of names) {
    if (n in out) continue;
    if (!(n in defaults)) throw new TypeError(`${fn}() missing required argument '${n}'`);
    out[n] = defaults[n];
  }
  return out;
}
