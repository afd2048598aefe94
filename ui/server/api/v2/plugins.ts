// GET /api/v2/plugins, /plugins/importErrors and /providers: windsock's plugins are the operator modules named in
// WINDSOCK_PLUGINS (Airflow's plugins folder); none of Airflow's plugin kinds (views, macros, listeners...) exist
// here, so those lists are empty. A module whose file is missing is an import error. Providers are the built-in
// operator families.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { z } from 'zod';
import { engineSettings } from '../../../../engine/settings.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { pagingQuery } from '../../paging.js';
import { query } from '../../request.js';

const PageQuery = z.object(pagingQuery);

function pluginFiles(): { name: string; file: string }[] {
  return engineSettings().plugins.map((p) => {
    const file = p.startsWith('file:') ? fileURLToPath(p) : path.resolve(p);
    return { name: path.basename(file).replace(/\.[cm]?js$/, ''), file };
  });
}

const EMPTY_KINDS = ['macros', 'flask_blueprints', 'fastapi_apps', 'fastapi_root_middlewares', 'external_views', 'react_apps', 'appbuilder_views',
  'appbuilder_menu_items', 'global_operator_extra_links', 'operator_extra_links', 'listeners', 'timetables'] as const;

export function pluginRoutes({ providers }: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.get('/plugins', (c) => {
    const q = query(c, PageQuery);
    const all = pluginFiles().filter((p) => fs.existsSync(p.file));
    const plugins = all.slice(q.offset, q.offset + q.limit).map((p) => ({ name: p.name, source: `$WINDSOCK_PLUGINS: ${path.basename(p.file)}`, ...Object.fromEntries(EMPTY_KINDS.map((k) => [k, []])) }));
    return c.json({ plugins, total_entries: all.length });
  });

  app.get('/plugins/importErrors', (c) => {
    const import_errors = pluginFiles().filter((p) => !fs.existsSync(p.file)).map((p) => ({ source: path.basename(p.file), error: `plugin module ${path.basename(p.file)} named in WINDSOCK_PLUGINS does not exist` }));
    return c.json({ import_errors, total_entries: import_errors.length });
  });

  app.get('/providers', async (c) => {
    const q = query(c, PageQuery);
    const all = providers ? await providers() : [];
    return c.json({ providers: all.slice(q.offset, q.offset + q.limit), total_entries: all.length });
  });

  return app;
}
