// Answers of a read-only listing remembered until the state database changes, for the endpoints every open page
// and script polls (Airflow's UI refetches the DAG list every few seconds per user). The database's version is
// `PRAGMA data_version` (it moves when another connection, e.g. the scheduler, commits) with this connection's
// own total_changes(): reading both costs two tiny statements, answering from memory spares the query and the
// JSON. An answer is kept per role and URL, only for 200 JSON, and a bounded number of them.
import type { MiddlewareHandler } from 'hono';
import type { Db } from '../../engine/state/db.js';
import type { AuthEnv } from './auth/middleware.js';

interface Entry {
  version: string;
  body: string;
  type: string;
}

export function cacheUntilDbChanges(db: Db, max = 200): MiddlewareHandler<AuthEnv> {
  const entries = new Map<string, Entry>();
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  const ownChanges = db.prepare('SELECT total_changes()').pluck();
  return async (c, next) => {
    if (c.req.method !== 'GET') return next();
    // read before answering: a commit while the answer is built leaves it filed under the older version
    const version = `${dataVersion.get() as number}:${ownChanges.get() as number}`;
    const key = `${c.get('caller')?.role ?? ''} ${c.req.url}`;
    const hit = entries.get(key);
    if (hit && hit.version === version) return c.body(hit.body, 200, { 'content-type': hit.type });
    await next();
    const type = c.res.headers.get('content-type') ?? '';
    if (c.res.status !== 200 || !type.startsWith('application/json')) return;
    const body = await c.res.clone().text();
    entries.delete(key);
    if (entries.size >= max) entries.delete(entries.keys().next().value!);
    entries.set(key, { version, body, type });
  };
}
