// API v1's error bodies: RFC 7807 problems as Airflow 2 sends them (airflow/api_connexion/exceptions.py), e.g.
// {"type": ".../Errors/PermissionDenied", "title": "Forbidden", "status": 403, "detail": ...}. A request v2 would
// answer 422 is a 400 Bad Request in v1, its detail one line per problem, named as the v1 caller named it.
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { logger } from '../../../../engine/log.js';
import { ApiError, type ValidationIssue } from '../../errors.js';
import { v1Name } from './adapter.js';

const DOCS = 'https://airflow.apache.org/docs/apache-airflow/2.10.5/stable-rest-api-ref.html#section/Errors/';

const KIND: Record<number, [string, string]> = {
  400: ['BadRequest', 'Bad Request'],
  401: ['Unauthenticated', 'Unauthorized'],
  403: ['PermissionDenied', 'Forbidden'],
  404: ['NotFound', 'Not Found'],
  405: ['MethodNotAllowed', 'Method Not Allowed'],
  406: ['NotAcceptable', 'Not Acceptable'],
  409: ['AlreadyExists', 'Conflict'],
  413: ['BadRequest', 'Request Entity Too Large'],
  415: ['UnsupportedMediaType', 'Unsupported Media Type'],
  429: ['Unknown', 'Too Many Requests'],
  500: ['Unknown', 'Internal Server Error'],
};

/** Pure: a v2 error detail as v1's one-line string. */
export function problemDetail(detail: ApiError['detail']): string {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail.map((i: ValidationIssue) => `${i.loc.slice(1).map((p) => v1Name(String(p))).join('.') || i.loc[0]}: ${i.msg}`).join('; ');
  }
  return typeof detail.message === 'string' ? detail.message : typeof detail.reason === 'string' ? detail.reason : JSON.stringify(detail);
}

export function problem(c: Context, status: number, detail: string, headers: Record<string, string> = {}): Response {
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  const [type, title] = KIND[status] ?? ['Unknown', 'Error'];
  c.header('Content-Type', 'application/problem+json');
  return c.body(JSON.stringify({ type: DOCS + type, title, status, detail }), status as ContentfulStatusCode);
}

export const onProblem: ErrorHandler = (err, c) => {
  if (err instanceof ApiError) return problem(c, err.status === 422 ? 400 : err.status, problemDetail(err.detail), err.headers);
  if (err instanceof HTTPException && err.status < 500) return problem(c, err.status, err.message || KIND[err.status]?.[1] || 'Error');
  logger.error({ err, method: c.req.method, path: c.req.path }, 'web request failed');
  return problem(c, 500, 'Internal Server Error');
};

export const problemNotFound = (c: Context) => problem(c, 404, 'The requested URL was not found on the server: see openapi-v1.yaml for the paths API v1 serves');
