// The web app in the test process, on a real socket (127.0.0.1, a free port), over a workspace's state database,
// and a small client that speaks to it with real fetch.
import { Store } from '../../engine/state/store.js';
import { createUser } from '../../engine/service/users.js';
import type { Role } from '../../engine/state/users.js';
import { createApp } from '../../ui/server/app.js';
import { listen } from '../../ui/server/listen.js';
import { webSettings } from '../../ui/server/settings.js';
import { ChangeFeed } from '../../ui/server/change-feed.js';
import type { AppDeps } from '../../ui/server/deps.js';
import type { Workspace } from './cli.js';
import { webSources } from '../../cli/web-sources.js';

export const TEST_SECRET = 'test-secret-key-for-signing-tokens-0123456789';

export interface WebApp {
  url: string;
  /** The Hono app itself (its `routes` list every route it serves). */
  app: ReturnType<typeof createApp>;
  store: Store;
  close(): Promise<void>;
  /** fetch `path` (below the server's root) with an optional bearer token and JSON body. */
  req(method: string, path: string, o?: { token?: string; json?: unknown; body?: string; headers?: Record<string, string> }): Promise<Reply>;
  login(username: string, password: string): Promise<string>;
  /** Create a user with this role (password = username + '-password') and return a token for it. */
  userToken(role: Role, username?: string): Promise<string>;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** `extra`: more of the app's dependencies (parsed DAG files, the warehouse for the dashboard). */
export async function startWebApp(ws: Workspace, env: NodeJS.ProcessEnv = {}, extra: Partial<AppDeps> = {}): Promise<WebApp> {
  const store = Store.open(ws.home);
  const web = webSettings({ WINDSOCK_SECRET_KEY: TEST_SECRET, ...env });
  const feed = ChangeFeed.open(ws.home);
  const app = createApp({ store, web, home: ws.home, dagsFolder: ws.dags, version: '0.1.0', feed, ...webSources(ws.dags, '0.1.0'), ...extra });
  const server = await listen(app, '127.0.0.1', 0);
  const req: WebApp['req'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body = o.body;
    if (o.json !== undefined) {
      body = JSON.stringify(o.json);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(server.url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  };
  const login = async (username: string, password: string) => {
    const r = await req('POST', '/auth/token', { json: { username, password } });
    if (r.status !== 201) throw new Error(`login as ${username}: ${r.status} ${r.text}`);
    return r.body.access_token as string;
  };
  return {
    url: server.url,
    app,
    store,
    req,
    login,
    async userToken(role, username = role) {
      if (!store.users.get(username)) await createUser(store, { username, role, password: `${username}-password` });
      return login(username, `${username}-password`);
    },
    async close() {
      feed.close();
      await server.close();
      store.close();
    },
  };
}
