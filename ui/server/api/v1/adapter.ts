// API v1 as a thin adapter over API v2, so the two cannot drift: each v1 route is one row of a declarative table
// (its v2 path, how its query, body and answer are renamed), and serving it means building the matching v2 request,
// handing it to the v2 routes in-process with the caller already authenticated, and translating the answer back.
// Airflow 2's differences handled here, once for every route (airflow/api_connexion/parameters.py): `limit`
// defaults to 100 and is capped at 100, `update_mask` is comma-separated, `fields` picks the fields to return,
// `execution_date*` is v2's `logical_date*`, and every error is an RFC 7807 problem (problems.ts).
import { Hono, type Context } from 'hono';
import type { AuthEnv, Caller } from '../../auth/middleware.js';
import { requiredRole } from '../../auth/roles.js';
import { roleAtLeast } from '../../../../engine/service/users.js';
import { ApiError, notFound, onError } from '../../errors.js';
import { parseJson } from '../../request.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface Translation {
  method: Method;
  /** Below /api/v1, in Hono's syntax (`:name`, `:name{regex}`). */
  path: string;
  /** Below /api/v2; `:name` is filled from the v1 path's parameter of that name (or from `params`). */
  v2: string | ((params: Record<string, string>, body: Json) => string);
  v2Method?: Method;
  /** v1 path parameters under another name in v2 (`task_try_number` -> `try_number`). */
  params?: Record<string, string>;
  /** Query parameters added when the v1 request leaves them out (v1 defaults that differ from v2's). */
  queryDefaults?: Record<string, string>;
  /** The v1 request body as the v2 one; without it the v1 body goes through as it is. */
  body?: (v1: Json, params: Record<string, string>) => Json;
  /** The v2 answer as the v1 one. */
  out?: (v2: Json, params: Record<string, string>) => Json;
  /** v1's success status where it differs from v2's (v1 creates with 200, v2 with 201). */
  status?: 200 | 204;
  /** The answer as text, for a client that asks for text/plain (logs, config). */
  text?: (v2: Json) => string;
  /** Paged listing: `limit` defaults to and is capped at 100, as in Airflow 2. */
  paged?: boolean;
  /** Query parameters v1 takes comma-separated (`dag_ids=a,b`) and v2 repeated (`dag_ids=a&dag_ids=b`). */
  commaLists?: string[];
}

export const V1_PAGE_LIMIT = 100;

/** v1 query and body names that v2 renamed. */
export const RENAMED: Record<string, string> = {
  execution_date_gte: 'logical_date_gte',
  execution_date_lte: 'logical_date_lte',
  only_active: 'exclude_stale',
};
const RENAMED_BACK = Object.fromEntries(Object.entries(RENAMED).map(([a, b]) => [b, a]));
/** Sort keys that v2 renamed (`order_by=-execution_date`). */
const SORT_KEYS: Record<string, string> = { execution_date: 'logical_date' };

/** Pure: an object's keys renamed by `names`; keys not listed are kept. */
export function renameKeys(obj: Json, names: Record<string, string> = RENAMED): Json {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return obj;
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [names[k] ?? k, v]));
}

export function sortKey(key: string): string {
  const desc = key.startsWith('-');
  const bare = desc ? key.slice(1) : key;
  return (desc ? '-' : '') + (SORT_KEYS[bare] ?? bare);
}

/** Pure: the v2 query string for a v1 one. */
export function v2Query(v1: URLSearchParams, t: Pick<Translation, 'queryDefaults' | 'paged' | 'commaLists'>): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of v1) {
    if (k === 'fields') continue;
    if (k === 'update_mask' || t.commaLists?.includes(k)) for (const f of v.split(',')) out.append(k, f.trim());
    else if (k === 'order_by') out.append(k, sortKey(v));
    else out.append(RENAMED[k] ?? k, v);
  }
  for (const [k, v] of Object.entries(t.queryDefaults ?? {})) if (!out.has(k)) out.set(k, v);
  if (t.paged) out.set('limit', String(pageLimit(v1.get('limit'))));
  return out;
}

/** Airflow 2's check_limit: absent or 0 gives the default, more than the maximum gives the maximum. */
function pageLimit(raw: string | null): number {
  if (raw === null || raw === '') return V1_PAGE_LIMIT;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new ApiError(400, `limit: '${raw}' is not of type 'integer': give a whole number from 1 to ${V1_PAGE_LIMIT}`);
  if (n < 0) throw new ApiError(400, 'Page limit must be a positive integer');
  return n === 0 ? V1_PAGE_LIMIT : Math.min(n, V1_PAGE_LIMIT);
}

/** Pure: `:name` segments of a v2 path template filled from the v1 parameters (renamed by `names`). */
export function fillPath(template: string, params: Record<string, string>, names: Record<string, string> = {}): string {
  const byV2Name: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) byV2Name[names[k] ?? k] = v;
  return template.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => {
    const v = byV2Name[name];
    if (v === undefined) throw new Error(`v1 adapter: no value for :${name} in ${template}`);
    return encodeURIComponent(v);
  });
}

/** Pure: v1's `fields` parameter, which keeps only the named fields of the object or of each listed one. */
export function pickFields(body: Json, fields: string[]): Json {
  if (!fields.length || !body || typeof body !== 'object') return body;
  const pick = (o: Json) => Object.fromEntries(fields.filter((f) => f in o).map((f) => [f, o[f]]));
  const list = Object.entries(body).find(([k, v]) => Array.isArray(v) && k !== 'tags');
  return list && 'total_entries' in body ? { ...body, [list[0]]: (list[1] as Json[]).map(pick) } : pick(body);
}

type Inner = Hono<{ Bindings: { caller: Caller }; Variables: AuthEnv['Variables'] }>;

/** The v2 routes behind a door that takes the caller from the adapter instead of from credentials. */
function innerApp(v2: Hono<AuthEnv>): Inner {
  const inner: Inner = new Hono();
  inner.onError(onError);
  inner.notFound(notFound);
  inner.use('*', async (c, next) => {
    c.set('caller', c.env.caller);
    await next();
  });
  inner.route('/api/v2', v2 as unknown as Inner);
  return inner;
}

/** A v2 answer that is not a success, as the error v1 answers with (kept the v2 status and headers). */
async function v2Failure(res: Response): Promise<ApiError> {
  let detail: unknown = res.statusText;
  try {
    detail = ((await res.json()) as { detail?: unknown }).detail ?? detail;
  } catch {
    // not JSON: keep the status text
  }
  const headers: Record<string, string> = {};
  for (const h of ['retry-after', 'www-authenticate']) {
    const v = res.headers.get(h);
    if (v) headers[h] = v;
  }
  return new ApiError(res.status as ApiError['status'], detail as ApiError['detail'], headers);
}

async function v1Body(c: Context): Promise<Json> {
  const text = await c.req.text();
  if (!text) return {};
  const type = c.req.header('content-type') ?? '';
  if (type && !/^application\/([\w.+-]*\+)?json\b/i.test(type)) throw new ApiError(415, `Unsupported Media Type: send the body as application/json, not ${type.split(';')[0]}`);
  const body = parseJson(text);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'The request body must be a JSON object, e.g. {"is_paused": true}');
  return body;
}

function wantsText(c: Context): boolean {
  const accept = c.req.header('accept') ?? '';
  return /\btext\/plain\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept);
}

/** Serve every translation of `tables` on `app`, in order (the more specific paths first). */
export function serveTranslations(app: Hono<AuthEnv>, v2: Hono<AuthEnv>, tables: Translation[][]): void {
  const inner = innerApp(v2);
  for (const t of tables.flat()) {
    app.on(t.method, t.path, async (c) => {
      const params = c.req.param() as Record<string, string>;
      const body = t.method === 'GET' || t.method === 'DELETE' ? undefined : await v1Body(c);
      const method = t.v2Method ?? t.method;
      const path = typeof t.v2 === 'function' ? t.v2(params, body) : fillPath(t.v2, params, t.params);
      const caller = c.get('caller');
      // The v1 path passed the role check already; its v2 twin must too, so the two tables cannot disagree.
      if (!roleAtLeast(caller.role, requiredRole(method, path.split('?')[0]))) throw new ApiError(403, 'Forbidden');
      const query = v2Query(new URL(c.req.url).searchParams, t).toString();
      const init: RequestInit = { method, headers: { accept: 'application/json' } };
      if (body !== undefined) {
        init.body = JSON.stringify(t.body ? t.body(body, params) : body);
        init.headers = { accept: 'application/json', 'content-type': 'application/json' };
      }
      const res = await inner.fetch(new Request(`http://v2.internal/api/v2${path}${query ? (path.includes('?') ? '&' : '?') + query : ''}`, init), { caller });
      if (!res.ok) throw await v2Failure(res);
      if (res.status === 204 || t.status === 204) return c.body(null, 204);
      const answer = await res.json();
      if (t.text && wantsText(c)) return c.text(t.text(answer), 200);
      const fields = (c.req.queries('fields') ?? []).flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean);
      return c.json(pickFields(t.out ? t.out(answer, params) : answer, fields), t.status ?? (res.status as 200));
    });
  }
}

/** v2 names in a validation error, as the v1 caller wrote them. */
export function v1Name(name: string): string {
  return RENAMED_BACK[name] ?? name;
}
