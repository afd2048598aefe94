// API v1 (Airflow 2's) at /api/v1. For now its public health check; the resources follow as an adapter over v2's.
import { Hono } from 'hono';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { healthInfo } from '../v2/monitor.js';

export function v1PublicRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  // v1's HealthInfo has the same metadatabase / scheduler fields (openapi-v1.yaml, /health).
  app.get('/health', (c) => {
    const { metadatabase, scheduler } = healthInfo(deps.store);
    return c.json({ metadatabase, scheduler });
  });
  return app;
}

export function v1Routes(_deps: AppDeps): Hono<AuthEnv> {
  return new Hono<AuthEnv>();
}
