// Answers of a read-only listing remembered until the state database changes, for the endpoints every open page
// and script polls (Airflow's UI refetches the DAG list every few seconds per user). The database's version is the
// request's (state-version.ts), or read here: answering from memory spares the query and the JSON. An answer is
// kept per role and URL, only for 200 JSON, as encoded bytes (so a hit does not encode the body again), and a
// bounded number of them. A client that accepts gzip (browsers, Python's requests) gets the remembered answer
// gzipped, compressed once per version: the DAG list of 50 DAGs is 45 KB as JSON and about a tenth of it gzipped.
import { gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import type { Db } from '../../engine/state/db.js';
import type { AuthEnv } from './auth/middleware.js';
import { stateVersionReader } from './state-version.js';

interface Entry {
  version: string;
  body: Uint8Array;
  type: string;
  gzipped?: Uint8Array;
}

/** Whether an Accept-Encoding header accepts gzip (RFC 9110 §12.5.3: `gzip;q=0` refuses it). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

export function cacheUntilDbChanges(db: Db, max = 200): MiddlewareHandler<AuthEnv> {
  const entries = new Map<string, Entry>();
  const read = stateVersionReader(db);
  return async (c, next) => {
    if (c.req.method !== 'GET') return next();
    // read before answering: a commit while the answer is built leaves it filed under the older version
    const version = c.get('stateVersion') ?? read();
    const key = `${c.get('caller')?.role ?? ''} ${c.req.url}`;
    const hit = entries.get(key);
    if (hit && hit.version === version) {
      const headers = { 'content-type': hit.type, vary: 'Accept-Encoding' };
      if (!acceptsGzip(c.req.header('accept-encoding'))) return c.body(hit.body as Uint8Array<ArrayBuffer>, 200, headers);
      hit.gzipped ??= gzipSync(hit.body);
      return c.body(hit.gzipped as Uint8Array<ArrayBuffer>, 200, { ...headers, 'content-encoding': 'gzip' });
    }
    await next();
    const type = c.res.headers.get('content-type') ?? '';
    if (c.res.status !== 200 || !type.startsWith('application/json')) return;
    c.res.headers.set('vary', 'Accept-Encoding');
    const body = new Uint8Array(await c.res.clone().arrayBuffer());
    entries.delete(key);
    if (entries.size >= max) entries.delete(entries.keys().next().value!);
    entries.set(key, { version, body, type });
  };
}
