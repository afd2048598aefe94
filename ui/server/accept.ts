// Content negotiation as Airflow 3 does it for endpoints that answer JSON or one other type
// (api_fastapi/common/headers.py): `*/*` or no Accept is JSON, then JSON if named, then the other type if named,
// else 406.
import { ApiError } from './errors.js';

export type Answer = 'json' | 'other';

export function negotiate(accept: string | undefined, other: string): Answer {
  const a = (accept ?? '*/*').trim() || '*/*';
  if (a.startsWith('*/*') || a.includes('application/json')) return 'json';
  if (a.includes(other)) return 'other';
  throw new ApiError(406, `Only application/json or ${other} is supported`);
}
