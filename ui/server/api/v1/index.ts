// API v1 (Airflow 2's) at /api/v1: its public health check, then every other route as a translation to API v2
// (adapter.ts), one table per resource. A path v1 does not serve is a 404 problem.
import { Hono } from 'hono';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { healthInfo } from '../v2/monitor.js';
import { serveTranslations, type Translation } from './adapter.js';
import { DAG_TRANSLATIONS } from './dags.js';
import { DAG_RUN_TRANSLATIONS } from './dag-runs.js';
import { TASK_INSTANCE_TRANSLATIONS } from './task-instances.js';
import { CONFIG_TRANSLATIONS, PLUGIN_TRANSLATIONS, POOL_TRANSLATIONS, VARIABLE_TRANSLATIONS } from './resources.js';
import { MONITORING_TRANSLATIONS } from './monitoring.js';
import { problemNotFound } from './problems.js';

export const V1_TRANSLATIONS: Translation[][] = [
  DAG_RUN_TRANSLATIONS,
  TASK_INSTANCE_TRANSLATIONS,
  DAG_TRANSLATIONS,
  POOL_TRANSLATIONS,
  VARIABLE_TRANSLATIONS,
  CONFIG_TRANSLATIONS,
  PLUGIN_TRANSLATIONS,
  MONITORING_TRANSLATIONS,
];

export function v1PublicRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  // v1's HealthInfo has the same metadatabase / scheduler fields (openapi-v1.yaml, /health).
  app.get('/health', (c) => {
    const { metadatabase, scheduler } = healthInfo(deps.store);
    return c.json({ metadatabase, scheduler });
  });
  return app;
}

/** `v2` is the app of v2's authenticated routes (what app.ts mounts at /api/v2, minus the auth middleware). */
export function v1Routes(v2: Hono<AuthEnv>): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  serveTranslations(app, v2, V1_TRANSLATIONS);
  app.all('*', problemNotFound);
  return app;
}
