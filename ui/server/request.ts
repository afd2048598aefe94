// Reading a request's body and query string through zod schemas, failing as FastAPI does: 422 with one entry per
// problem. Bodies are strict (an unknown field is `extra_forbidden`, as Airflow's `StrictBaseModel`); unknown query
// parameters are ignored, as FastAPI ignores them.
import type { Context } from 'hono';
import { z } from 'zod';
import { ApiError, fromZod, validationError } from './errors.js';

/** The JSON body, validated; a body that is not JSON is 422 `json_invalid`, another media type 415. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (type && !/^application\/([\w.+-]*\+)?json\b/i.test(type)) throw new ApiError(415, 'Unsupported Media Type');
  return validate(schema, parseJson(await c.req.text()), 'body');
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw validationError([{ loc: ['body', 0], msg: 'JSON decode error', type: 'json_invalid', input: {}, ctx: { error: (err as Error).message } }]);
  }
}

export function validate<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'path'): z.infer<S> {
  const r = schema.safeParse(value, { reportInput: true });
  if (!r.success) throw validationError(fromZod(r.error.issues, where));
  return r.data;
}

/** The query string as an object: repeated keys give arrays where the schema wants an array, else the last value. */
export function query<S extends z.ZodObject>(c: Context, schema: S): z.infer<S> {
  const all = c.req.queries();
  const raw: Record<string, string | string[]> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const values = all[key];
    if (values === undefined) continue;
    raw[key] = isArray(field as z.ZodType) ? values : values[values.length - 1];
  }
  return validate(schema, raw, 'query');
}

function isArray(s: z.ZodType): boolean {
  let t: unknown = s;
  while (t && typeof (t as { unwrap?: unknown }).unwrap === 'function' && !(t instanceof z.ZodArray)) t = (t as { unwrap(): unknown }).unwrap();
  return t instanceof z.ZodArray;
}

/** Query booleans as pydantic reads them: true/false, 1/0, yes/no, on/off. */
export const qBool = z.stringbool({ truthy: ['true', '1', 'yes', 'on', 't', 'y'], falsy: ['false', '0', 'no', 'off', 'f', 'n'] });
export const qStrings = z.array(z.string());
