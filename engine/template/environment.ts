// The Jinja-compatible engine: one nunjucks Environment configured like Airflow's (no autoescaping, StrictUndefined),
// Airflow's date filters, and a Python-flavoured runtime handed to each compiled template (never patched globally):
// values print the Python way, str / dict methods keep their Python meaning, and an undefined value printed is an
// error worded like Jinja's ("'foo' is undefined", "'dict object' has no attribute 'x'").
//
// Strictness applies where a value is printed ({{ x }}); filters and tests still see undefined, so
// `{{ x | default('y') }}` and `{% if x is defined %}` work as in Jinja.
import type Nunjucks from 'nunjucks';
import { lazyRequire } from '../lazy-require.js';
import { PyDateTime } from './py-datetime.js';
import { pyStr, pyTypeName, pythonMethod } from './py-values.js';

type Runtime = Record<string, any>;
type RootRender = (env: unknown, context: unknown, frame: unknown, runtime: Runtime, cb: (err: unknown, out?: string) => void) => void;
interface NunjucksInternals {
  runtime: Runtime;
  lib: { TemplateError: new (message: string, lineno?: number, colno?: number) => Error };
}

// nunjucks is loaded with the first template, not at start-up: most task arguments are plain strings (isTemplate),
// and the import costs every command about 0.15 s.
const nunjucks = lazyRequire<typeof Nunjucks>('nunjucks');
const internals = () => nunjucks() as unknown as NunjucksInternals;

/** Why the last lookup came back undefined; read by ensureDefined. Rendering is synchronous, so one slot suffices. */
let lastMissing: string | null = null;

let pyRuntimeBuilt: Runtime | undefined;
const pyRuntime = (): Runtime => (pyRuntimeBuilt ??= makePyRuntime(internals().runtime));

const makePyRuntime = (base: Runtime): Runtime => ({
  ...base,
  contextOrFrameLookup(context: unknown, frame: unknown, name: string): unknown {
    const v = base.contextOrFrameLookup(context, frame, name);
    if (v === undefined) lastMissing = `'${name}' is undefined`;
    return v;
  },
  memberLookup(obj: unknown, name: string): unknown {
    if (obj === undefined || obj === null) return undefined; // keeps the reason its owner was undefined
    const method = pythonMethod(obj, name);
    if (method) return method;
    const v = base.memberLookup(obj, name);
    if (v === undefined) lastMissing = `'${pyTypeName(obj)}' has no attribute '${name}'`;
    return v;
  },
  ensureDefined(val: unknown, lineno: number, colno: number): string {
    const why = lastMissing;
    lastMissing = null;
    if (val === undefined) throw new (internals().lib.TemplateError)(why ?? 'undefined value', lineno + 1, colno + 1);
    return pyStr(val);
  },
});

function asDate(filter: string, v: unknown): PyDateTime {
  if (v instanceof PyDateTime) return v;
  if (v instanceof Date) return PyDateTime.from(v);
  throw new TypeError(`filter '${filter}' expects a datetime, got ${v === undefined ? 'an undefined value' : pyTypeName(v)}`);
}

function makeEnvironment(): Nunjucks.Environment {
  const env = new (nunjucks().Environment)(null, { autoescape: false, throwOnUndefined: true });
  // Airflow's filters (airflow/templates.py)
  env.addFilter('ds', (v: unknown) => asDate('ds', v).strftime('%Y-%m-%d'));
  env.addFilter('ds_nodash', (v: unknown) => asDate('ds_nodash', v).strftime('%Y%m%d'));
  env.addFilter('ts', (v: unknown) => asDate('ts', v).isoformat());
  env.addFilter('ts_nodash', (v: unknown) => asDate('ts_nodash', v).strftime('%Y%m%dT%H%M%S'));
  env.addFilter('ts_nodash_with_tz', (v: unknown) => asDate('ts_nodash_with_tz', v).isoformat().replace(/[-:]/g, ''));
  // Jinja's tojson (nunjucks calls it dump)
  env.addFilter('tojson', (v: unknown) => JSON.stringify(v));
  // Jinja's capitalised constants
  env.addGlobal('True', true);
  env.addGlobal('False', false);
  env.addGlobal('None', null);
  return env;
}

let environment: Nunjucks.Environment | undefined;

export type CompiledTemplate = (ctx: Record<string, unknown>) => string;

const MAX_CACHED = 10_000;
const cache = new Map<string, CompiledTemplate>();

/** Compile `source` once (cached by source text); syntax errors are thrown here. */
export function compileTemplate(source: string): CompiledTemplate {
  let compiled = cache.get(source);
  if (compiled) return compiled;
  const tmpl = new (nunjucks().Template)(source, (environment ??= makeEnvironment()), undefined, true) as unknown as Nunjucks.Template & { rootRenderFunc: RootRender };
  const root = tmpl.rootRenderFunc;
  // nunjucks is pinned exactly in package.json because these internals are not public API; fail loudly if they move.
  if (typeof root !== 'function' || typeof internals().runtime?.contextOrFrameLookup !== 'function') {
    throw new Error('windsock bug: nunjucks internals changed (Template.rootRenderFunc / runtime); pin nunjucks to 3.2.4');
  }
  tmpl.rootRenderFunc = (env, context, frame, _runtime, cb) => root(env, context, frame, pyRuntime(), cb);
  compiled = (ctx) => {
    lastMissing = null;
    return tmpl.render(ctx);
  };
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(source, compiled);
  return compiled;
}

/** Does `s` contain template syntax at all? Plain strings skip nunjucks entirely. */
export function isTemplate(s: string): boolean {
  return s.includes('{{') || s.includes('{%') || s.includes('{#');
}
