// GET /dashboard: the analytics dashboard's page (a shell that loads the <aq-dashboard> bundle; the data comes from
// /api/analytics/*) and its assets from dist/ui/assets/, served by windsock itself: no CDN. Unless the dashboard is
// published, the page wants the admin UI's session, as the admin pages do: without one it redirects to
// /login?next=/dashboard, which comes back here once signed in.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { Store } from '../../../engine/state/store.js';
import type { AuthEnv } from '../auth/middleware.js';
import type { Tokens } from '../auth/tokens.js';
import { requireSession, type PageEnv } from '../pages/session.js';
import { dashboardIsPublic } from './access.js';

export const DASHBOARD_PATH = '/dashboard';
/** dist/ui/assets, next to dist/ui/server/analytics/ where this module runs from. */
export const ASSETS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../assets');

export interface DashboardSettings {
  /** WINDSOCK_DASHBOARD_PUBLIC=1: the page and its data are readable without signing in. */
  public: boolean;
  /** WINDSOCK_MAP_TILES: a tile URL template ({z}/{x}/{y}); none = the map draws stations on a plain background. */
  tiles: string | null;
}

export function dashboardSettings(env: NodeJS.ProcessEnv = process.env): DashboardSettings {
  return { public: dashboardIsPublic(env), tiles: env.WINDSOCK_MAP_TILES?.trim() || null };
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** Pure: the page. */
export function dashboardHtml(s: DashboardSettings): string {
  const tiles = s.tiles ? ` tiles="${escapeAttr(s.tiles)}"` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Paris air quality · windsock</title>
<link rel="icon" href="data:,">
<style>html{-webkit-text-size-adjust:100%}body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f6f7f9;color:#1b1f24}</style>
</head>
<body>
<main><aq-dashboard${tiles}></aq-dashboard></main>
<noscript>The dashboard needs JavaScript. The data is at /api/analytics/measurements, /daily and /stations.</noscript>
<script type="module" src="${DASHBOARD_PATH}/assets/dashboard.js"></script>
</body>
</html>`;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json' };

export function dashboardPageRoutes(s: DashboardSettings, auth: { store: Store; tokens: Tokens }): Hono<PageEnv & AuthEnv> {
  const app = new Hono<PageEnv & AuthEnv>();
  if (!s.public) app.use(DASHBOARD_PATH, requireSession(auth));
  app.get(DASHBOARD_PATH, (c) => c.html(dashboardHtml(s)));
  app.get(`${DASHBOARD_PATH}/assets/:file`, (c) => {
    const name = c.req.param('file');
    if (!/^dashboard\.(js|css|js\.map)$/.test(name)) return c.json({ detail: 'Not Found' }, 404);
    const file = path.join(ASSETS_DIR, name);
    if (!fs.existsSync(file)) return c.json({ detail: 'The dashboard is not built: run npm run build' }, 404);
    return c.body(fs.readFileSync(file), 200, { 'Content-Type': TYPES[path.extname(name)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
  });
  return app;
}
