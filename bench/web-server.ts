// The web benchmark's server under test, forked by bench/web.ts so that its memory is its own (not the benchmark's,
// which holds the load generator's IPC and the results): the full app (auth on) over the state database at
// argv[2], plus the baselines on the same server: a route answering a constant JSON body and a constant SSE route
// that pushes an event when the parent sends {tick: id}. Sends {url} once it listens; exits when the parent leaves.
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { Store } from '../engine/state/store.js';
import { createApp } from '../ui/server/app.js';
import { ChangeFeed } from '../ui/server/change-feed.js';
import { listen } from '../ui/server/listen.js';
import { webSettings } from '../ui/server/settings.js';
import { mountConstantSse } from './events.js';

export const CONSTANT_PATH = '/bench/constant';
export const SECRET_KEY = 'bench-secret-key-0123456789-0123456789';
const CONSTANT = { status: 'ok', items: [1, 2, 3], note: 'a constant body, answered without touching the database' };

export type ServerMessage = { tick: number } | { rss: true };

async function main(home: string): Promise<void> {
  const store = Store.open(home);
  const feed = ChangeFeed.open(home);
  const web = webSettings({ WINDSOCK_SECRET_KEY: SECRET_KEY, WINDSOCK_WEB_LOGIN_RATE: '1000' });
  const app = createApp({ store, web, home, dagsFolder: '/dags', version: 'bench', feed });
  app.get(CONSTANT_PATH, (c) => c.json(CONSTANT));
  const emitter = new EventEmitter();
  mountConstantSse(app, emitter);
  const server = await listen(app, '127.0.0.1', 0);
  process.on('message', (m: ServerMessage) => {
    if ('tick' in m) emitter.emit('tick', m.tick);
    else process.send!({ rss: process.memoryUsage().rss });
  });
  process.on('disconnect', async () => {
    feed.close();
    await server.close();
    store.close();
    process.exit(0);
  });
  process.send!({ url: server.url });
}

// Run only as the forked script, not when web.ts imports its constants.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main(process.argv[2]!);
