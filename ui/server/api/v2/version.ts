// GET /api/v2/version (public).
import { Hono } from 'hono';
import type { AppDeps } from '../../deps.js';

export function versionRoutes({ version }: AppDeps): Hono {
  const app = new Hono();
  app.get('/version', (c) => c.json({ version, git_version: null }));
  return app;
}
