// Error bodies as Airflow 3's API (FastAPI) sends them: `{"detail": "..."}` for an HTTP error, and for a request
// that fails validation 422 `{"detail": [{"loc", "msg", "type", ...}]}` with pydantic v2's type names and messages
// (fastapi/exception_handlers.py, pydantic_core's error types). Nothing internal ever reaches a body: an unexpected
// error is logged and answered `{"detail": "Internal Server Error"}`.
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { logger } from '../../engine/log.js';

/** An HTTP error with the body FastAPI's HTTPException gives: `{"detail": detail}`. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly detail: string | Record<string, unknown> | ValidationIssue[],
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof detail === 'string' ? detail : `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
  input?: unknown;
  ctx?: Record<string, unknown>;
}

export type Where = 'body' | 'query' | 'path';

export function validationError(issues: ValidationIssue[]): ApiError {
  return new ApiError(422, issues);
}

/** zod's issues as pydantic's: one entry per problem, located under body/query/path. */
export function fromZod(issues: readonly z.core.$ZodIssue[], where: Where): ValidationIssue[] {
  return issues.flatMap((i): ValidationIssue[] => {
    const loc = [where, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    const input = 'input' in i ? i.input : undefined;
    switch (i.code) {
      case 'unrecognized_keys':
        return i.keys.map((k) => ({ loc: [...loc, k], msg: 'Extra inputs are not permitted', type: 'extra_forbidden', input: (input as Record<string, unknown> | undefined)?.[k] }));
      case 'invalid_type':
        if (input === undefined) return [{ loc, msg: 'Field required', type: 'missing' }];
        return [typeIssue(loc, i.expected, input)];
      case 'too_small':
        if (i.origin === 'string') return [{ loc, msg: `String should have at least ${i.minimum} characters`, type: 'string_too_short', input, ctx: { min_length: Number(i.minimum) } }];
        return [{ loc, msg: `Input should be greater than or equal to ${i.minimum}`, type: 'greater_than_equal', input, ctx: { ge: Number(i.minimum) } }];
      case 'too_big':
        if (i.origin === 'string') return [{ loc, msg: `String should have at most ${i.maximum} characters`, type: 'string_too_long', input, ctx: { max_length: Number(i.maximum) } }];
        return [{ loc, msg: `Input should be less than or equal to ${i.maximum}`, type: 'less_than_equal', input, ctx: { le: Number(i.maximum) } }];
      case 'invalid_value':
        return [{ loc, msg: `Input should be ${i.values.map((v) => `'${String(v)}'`).join(', ').replace(/, ([^,]*)$/, ' or $1')}`, type: 'enum', input, ctx: { expected: i.values.map(String).join(', ') } }];
      case 'invalid_format':
        if (i.format === 'datetime') return [{ loc, msg: 'Input should be a datetime with a time zone, e.g. 2024-04-20T00:00:00Z', type: 'timezone_aware', input }];
        return [{ loc, msg: i.message, type: 'value_error', input }];
      case 'invalid_union':
        if (input === undefined) return [{ loc, msg: 'Field required', type: 'missing' }]; // e.g. a JSON value
        return [{ loc, msg: i.message, type: 'value_error', input }];
      default:
        return [{ loc, msg: i.message, type: 'value_error', input }];
    }
  });
}

function typeIssue(loc: (string | number)[], expected: string, input: unknown): ValidationIssue {
  switch (expected) {
    case 'int':
    case 'number':
    case 'bigint':
      return { loc, msg: 'Input should be a valid integer, unable to parse string as an integer', type: 'int_parsing', input };
    case 'boolean':
      return { loc, msg: 'Input should be a valid boolean', type: 'bool_type', input };
    case 'string':
      return { loc, msg: 'Input should be a valid string', type: 'string_type', input };
    case 'array':
      return { loc, msg: 'Input should be a valid list', type: 'list_type', input };
    case 'object':
    case 'record':
      return loc.length === 1
        ? { loc, msg: 'Input should be a valid dictionary or object to extract fields from', type: 'model_attributes_type', input }
        : { loc, msg: 'Input should be a valid dictionary', type: 'dict_type', input };
    default:
      return { loc, msg: `Input should be a valid ${expected}`, type: `${expected}_type`, input };
  }
}

export function errorResponse(c: Context, err: ApiError): Response {
  for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
  return c.json({ detail: err.detail }, err.status);
}

/** The app's last word on any error: known ones with their status, anything else logged and hidden. */
export const onError: ErrorHandler = (err, c) => {
  if (err instanceof ApiError) return errorResponse(c, err);
  if (err instanceof HTTPException && err.status < 500) {
    return c.json({ detail: err.message || statusText(err.status) }, err.status as ContentfulStatusCode);
  }
  logger.error({ err, method: c.req.method, path: c.req.path }, 'web request failed');
  return c.json({ detail: 'Internal Server Error' }, 500);
};

export const notFound = (c: Context) => c.json({ detail: 'Not Found' }, 404);

function statusText(status: number): string {
  return ({ 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 413: 'Request Entity Too Large', 415: 'Unsupported Media Type' } as Record<number, string>)[status] ?? 'Error';
}
