// Environment variables as typed settings: each has a zod schema over its text, an embedded default and an example
// value, so a bad one stops the command with one line naming it and a value that works (the way graphile-worker and
// Airflow's `conf` reject a malformed setting at start rather than at first use).
import { z } from 'zod';
import { UserError } from './types.js';

export interface EnvVar<T> {
  /** Parses the variable's text (the default's when unset or empty). */
  schema: z.ZodType<T, string>;
  /** Used when the variable is unset or empty; undefined: the setting is optional. */
  default?: string;
  /** A value that works, shown in the error. */
  example: string;
  /** What it means, for the README and `dag` help. */
  meaning: string;
}

export type EnvVars = Record<string, EnvVar<unknown>>;
export type EnvValues<D extends EnvVars> = { [K in keyof D]: D[K] extends EnvVar<infer T> ? T : never };

/** Read every variable of `defs` from `env`; the first bad one is a UserError naming it and an example value. */
export function readEnvVars<D extends EnvVars>(defs: D, env: NodeJS.ProcessEnv): EnvValues<D> {
  const out: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(defs)) {
    const raw = env[name];
    const text = raw == null || raw === '' ? def.default : raw;
    if (text === undefined) {
      out[name] = undefined;
      continue;
    }
    const r = def.schema.safeParse(text);
    if (!r.success) {
      const shown = text.length > 60 ? text.slice(0, 60) + '...' : text;
      throw new UserError(`${name}=${shown} ${r.error.issues[0]?.message ?? 'is not valid'}: unset it or set e.g. ${name}=${def.example}`);
    }
    out[name] = r.data;
  }
  return out as EnvValues<D>;
}

// Schemas over the variable's text. Each message completes "NAME=value ...".

/** A whole number >= min (and <= max). */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): z.ZodType<number, string> {
  const what = `is not a whole number ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`}`;
  return z
    .string()
    .regex(/^\s*-?\d+\s*$/, what)
    .transform(Number)
    .pipe(z.number().int().min(min, what).max(max, what));
}

/** A number of seconds, decimals allowed; `positive`: more than 0, else 0 allowed. */
export function seconds(positive: boolean): z.ZodType<number, string> {
  const what = `is not a number of seconds ${positive ? '> 0' : '>= 0'}`;
  return z
    .string()
    .regex(/^\s*-?(\d+(\.\d*)?|\.\d+)\s*$/, what)
    .transform(Number)
    .pipe(positive ? z.number().gt(0, what) : z.number().min(0, what));
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T): z.ZodType<T[number], string> {
  return z.enum(values, { error: () => `is not one of ${values.join(', ')}` }) as unknown as z.ZodType<T[number], string>;
}

/** An http(s) URL; trailing slashes dropped. */
export function httpUrl(): z.ZodType<string, string> {
  return z
    .string()
    .transform((s) => s.trim().replace(/\/+$/, ''))
    .refine((s) => /^https?:\/\/[^/\s]+/.test(s) && URL.canParse(s), 'is not an http(s) URL');
}

export function text(): z.ZodType<string, string> {
  return z.string();
}

/** Names that look like ours but are not any of `known`: typos, with the closest known name. */
export function unknownVariables(env: NodeJS.ProcessEnv, prefixes: string[], known: Iterable<string>, ignorePrefixes: string[] = []): string[] {
  const names = new Set(known);
  return Object.keys(env)
    .filter((k) => prefixes.some((p) => k.startsWith(p)) && !names.has(k) && !ignorePrefixes.some((p) => k.startsWith(p)))
    .sort();
}
