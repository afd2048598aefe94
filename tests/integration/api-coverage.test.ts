// Every operation of openapi-v2.yaml and openapi-v1.yaml is either served (a request to it does not get the router's
// plain 404) or listed, with its reason, in ui/server/api/not-served.ts, and nothing listed there is served.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_SERVED, notServedText, type NotServed } from '../../ui/server/api/not-served.js';
import { workspace } from '../support/cli.js';
import { startWebApp, type WebApp } from '../support/web.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Path parameter values a route accepts the form of (ids that exist nowhere: nothing is found or changed). */
const VALUES: Record<string, string> = {
  map_index: '0', try_number: '1', task_try_number: '1', version_number: '1', backfill_id: '987654',
  event_log_id: '987654', import_error_id: '987654', asset_id: '987654', asset_alias_id: '987654',
};

function operations(api: 'v1' | 'v2'): NotServed[] {
  const doc = parse(fs.readFileSync(path.join(ROOT, `ui/server/openapi/openapi-${api}.yaml`), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([p, ops]) =>
    METHODS.filter((m) => ops[m]).map((m) => ({ api, method: m.toUpperCase() as NotServed['method'], path: api === 'v2' ? p.replace(/^\/api\/v2/, '') : p, reason: '' })),
  );
}

const key = (o: Pick<NotServed, 'api' | 'method' | 'path'>) => `${o.api} ${o.method} ${o.path}`;

let web: WebApp;
let admin: string;
beforeAll(async () => {
  web = await startWebApp(workspace());
  admin = await web.userToken('admin');
});
afterAll(() => web?.close());

/** Whether the request got the router's 404 for a path it has no route for (v2's body, or v1's problem). */
async function routerNotFound(o: NotServed): Promise<boolean> {
  const url = `/api/${o.api}${o.path.replace(/\{(\w+)\}/g, (_, name: string) => VALUES[name] ?? `no-such-${name}`)}`;
  const r = await web.req(o.method, url, { token: admin, json: o.method === 'GET' || o.method === 'DELETE' ? undefined : {} });
  if (r.status !== 404) return false;
  const detail = r.body?.detail;
  return detail === 'Not Found' || (o.api === 'v1' && typeof detail === 'string' && detail.startsWith('The requested URL was not found on the server'));
}

describe('the endpoints of openapi-v2.yaml and openapi-v1.yaml', () => {
  it('are each served, or listed as not served with a reason', async () => {
    const all = [...operations('v2'), ...operations('v1')];
    const listed = new Map(NOT_SERVED.map((n) => [key(n), n]));
    // A few requests at a time: the order of the answers does not matter.
    const notFound: boolean[] = [];
    for (let i = 0; i < all.length; i += 8) notFound.push(...(await Promise.all(all.slice(i, i + 8).map(routerNotFound))));
    const unserved = all.filter((_, i) => notFound[i]);
    const missing = unserved.filter((o) => !listed.has(key(o)));
    const servedAfterAll = NOT_SERVED.filter((n) => !unserved.some((u) => key(u) === key(n)));
    const message = [
      missing.length ? `not served and not listed in ui/server/api/not-served.ts:\n${missing.map((o) => `  ${key(o)}`).join('\n')}` : '',
      servedAfterAll.length ? `listed as not served, yet served (or not in the spec):\n${servedAfterAll.map((o) => `  ${key(o)}`).join('\n')}` : '',
      `the table of not-served endpoints:\n${notServedText()}`,
    ].filter(Boolean).join('\n');
    expect(missing.length + servedAfterAll.length, message).toBe(0);
    expect(new Set(NOT_SERVED.map(key)).size, 'each operation listed once').toBe(NOT_SERVED.length);
  });
});
