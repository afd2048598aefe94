// `dag serve`: the web server (REST API v2 and v1) alone, beside a `dag scheduler` on the same WINDSOCK_HOME
// (Airflow's `airflow api-server`). It reads and writes state through the store and never runs a task.
import type { Command } from 'commander';
import type { Store } from '../../engine/state/store.js';
import type { EngineSettings } from '../../engine/settings.js';
import { UserError } from '../../engine/types.js';
import type { Listening } from '../../ui/server/listen.js';

export interface ServeFlags {
  host?: string;
  port?: string;
}

export function serveOptions(cmd: Command): Command {
  return cmd
    .option('--host <host>', 'address to listen on (WINDSOCK_WEB_HOST, default 127.0.0.1; 0.0.0.0 for every interface)')
    .option('--port <port>', 'port to listen on (WINDSOCK_WEB_PORT, default 8080; 0 picks a free port)');
}

/** The state store, or one line saying why WINDSOCK_HOME cannot hold it. */
export async function openHome<T>(home: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (/^(EACCES|EPERM|ENOTDIR|EROFS|EEXIST|ENOSPC|SQLITE_CANTOPEN|SQLITE_READONLY|SQLITE_PERM)/.test(code)) {
      throw new UserError(`WINDSOCK_HOME ${home} cannot hold the state database (${code}): pass a writable folder with --home or WINDSOCK_HOME`);
    }
    throw err;
  }
}

/**
 * Make sure an admin exists, build the app and listen; prints the URL once listening and, the first time, the
 * generated admin password (later starts say where it is instead).
 */
export async function startWebServer(o: { store: Store; settings: EngineSettings; flags: ServeFlags; say: (m: string) => void }): Promise<Listening> {
  const [{ webSettings }, { createApp }, { listen, hostProblem }, { ensureAdmin }, { createRequire }, { ChangeFeed }, { webSources }] = await Promise.all([
    import('../../ui/server/settings.js'),
    import('../../ui/server/app.js'),
    import('../../ui/server/listen.js'),
    import('../../engine/service/users.js'),
    import('node:module'),
    import('../../ui/server/change-feed.js'),
    import('../web-sources.js'),
  ]);
  const web = webSettings(process.env, o.flags);
  const problem = hostProblem(web.host);
  if (problem) throw new UserError(problem);
  const admin = await ensureAdmin(o.store, o.settings.home, web.adminPassword);
  const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };
  const feed = ChangeFeed.open(o.settings.home);
  // The dashboard's data: read-only snapshots of the warehouse, opened on first use (a BigQuery warehouse without
  // credentials then answers 503 on the data endpoints instead of keeping the server from starting).
  const { openWarehouseReader } = await import('../../tasks/warehouse/warehouse-reader.js');
  let reader: ReturnType<typeof openWarehouseReader> | undefined;
  const analytics = { open: async () => (await (reader ??= openWarehouseReader(undefined, { home: o.settings.home }))).open() };
  const closeReader = () => void reader?.then((r) => r.close(), () => undefined);
  const app = createApp({ store: o.store, web, home: o.settings.home, dagsFolder: o.settings.dagsFolder, version, feed, analytics, ...webSources(o.settings.dagsFolder, version) });
  let served: Listening;
  try {
    served = await listen(app, web.host, web.port);
  } catch (err) {
    feed.close();
    closeReader();
    throw err;
  }
  // Event streams never end on their own: close the feed first so the server can finish its connections.
  const listening: Listening = { ...served, close: () => (feed.close(), closeReader(), served.close()) };
  const out = (m: string) => process.stdout.write(m + '\n');
  out(`windsock web server on ${listening.url}`);
  switch (admin.kind) {
    case 'created':
      out(`Password for user 'admin': ${admin.password}`);
      out(`(saved in ${admin.file}, readable by you only; sign in at ${listening.url}/login, or POST ${listening.url}/auth/token for an API token)`);
      break;
    case 'created-from-env':
      out(`user 'admin' created with the password in WINDSOCK_ADMIN_PASSWORD`);
      break;
    case 'generated-before':
      out(`Password for user 'admin' was generated before and is in ${admin.file}; not printing it again`);
      break;
    case 'name-taken':
      o.say(`no user has the admin role: create one with \`dag users create --role admin --username NAME --password-stdin\``);
      break;
    case 'exists':
      break;
  }
  return listening;
}

export function register(program: Command): void {
  serveOptions(program.command('serve').description('run the web server (REST API) until Ctrl-C or SIGTERM')).action(async (flags: ServeFlags) => {
    const [{ loadCatalog }, { engineSettings }] = await Promise.all([import('../context.js'), import('../../engine/settings.js')]);
    const say = (m: string) => process.stderr.write(`${new Date().toISOString()} ${m}\n`);
    const home = engineSettings().home;
    const { settings, store } = await openHome(home, () => loadCatalog());
    let listening: Listening;
    try {
      listening = await startWebServer({ store, settings, flags, say });
    } catch (err) {
      store.close();
      throw err;
    }
    const stop = async (sig: string) => {
      say(`${sig}: stopping the web server`);
      await listening.close();
      store.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });
}
