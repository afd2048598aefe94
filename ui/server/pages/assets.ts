// The admin pages' static files, served by windsock itself (no CDN; the machine may be offline): the esbuild bundles
// in dist/ui/assets and the stylesheet. Each URL carries a hash of its content (`?v=`), so it can be cached for a year
// and a new build is fetched at once.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { STYLESHEET } from './styles.js';
import { ACTION_STYLES } from './actions/styles.js';

const ASSETS_DIR = fileURLToPath(new URL('../../assets/', import.meta.url));
const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', map: 'application/json' };

interface Asset {
  body: Buffer;
  hash: string;
  mtimeMs: number;
}
const cache = new Map<string, Asset>();

function load(name: string): Asset | null {
  if (name === 'admin.css') {
    let a = cache.get(name);
    if (!a) cache.set(name, (a = withHash(Buffer.from(STYLESHEET + ACTION_STYLES), 0)));
    return a;
  }
  if (!/^[a-z][a-z0-9-]*\.(js|js\.map)$/.test(name)) return null;
  const file = ASSETS_DIR + name;
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    return null;
  }
  const known = cache.get(name);
  if (known && known.mtimeMs === stat.mtimeMs) return known;
  const a = withHash(fs.readFileSync(file), stat.mtimeMs);
  cache.set(name, a);
  return a;
}

function withHash(body: Buffer, mtimeMs: number): Asset {
  return { body, mtimeMs, hash: crypto.createHash('sha256').update(body).digest('base64url').slice(0, 12) };
}

/** The URL of an asset, with its content hash; null when it was not built (`npm run build` makes it). */
export function assetUrl(name: string): string | null {
  const a = load(name);
  return a ? `/assets/${name}?v=${a.hash}` : null;
}

export function assetRoutes(): Hono {
  const app = new Hono();
  app.get('/assets/:name', (c) => {
    const name = c.req.param('name');
    const a = load(name);
    if (!a) return c.json({ detail: `No asset named ${name}: run \`npm run build\` to bundle the admin pages' scripts` }, 404);
    const ext = name.endsWith('.map') ? 'map' : name.split('.').pop()!;
    const versioned = c.req.query('v') === a.hash;
    return c.body(new Uint8Array(a.body), 200, {
      'Content-Type': TYPES[ext],
      'Cache-Control': versioned ? 'public, max-age=31536000, immutable' : 'no-cache',
      ETag: `"${a.hash}"`,
    });
  });
  return app;
}
