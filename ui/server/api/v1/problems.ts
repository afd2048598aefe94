// API v1's error bodies: RFC 7807 problems as Airflow 2 sends them (airflow/api_connexion/exceptions.py), e.g.
// {"type": ".../Errors/PermissionDenied", "title": "Forbidden", "status": 403, "detail": ...}.
import type { ErrorHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError, onError } from '../../errors.js';

const DOCS = 'https://airflow.apache.org/docs/apache-airflow/2.10.5/stable-rest-api-ref.html#section/Errors/';

const KIND: Record<number, [string, string]> = {
  400: ['BadRequest', 'Bad Request'],
  401: ['Unauthenticated', 'Unauthorized'],
  403: ['PermissionDenied', 'Forbidden'],
  404: ['NotFound', 'Not Found'],
  409: ['AlreadyExists', 'Conflict'],
  415: ['UnsupportedMediaType', 'Unsupported Media Type'],
  422: ['BadRequest', 'Bad Request'],
};

export const onProblem: ErrorHandler = (err, c) => {
  if (!(err instanceof ApiError)) return onError(err, c);
  for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
  const status = (err.status === 422 ? 400 : err.status) as ContentfulStatusCode;
  const [type, title] = KIND[err.status] ?? ['Unknown', 'Error'];
  const detail = typeof err.detail === 'string' ? err.detail : JSON.stringify(err.detail);
  c.header('Content-Type', 'application/problem+json');
  return c.body(JSON.stringify({ type: DOCS + type, title, status, detail }), status);
};
