// API v2's routes: the public ones (no credentials) and the rest, mounted at /api/v2 by app.ts.
import { Hono } from 'hono';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { monitorRoutes } from './monitor.js';
import { versionRoutes } from './version.js';
import { dagRoutes } from './dags.js';
import { dagRunRoutes } from './dag-runs.js';
import { taskInstanceRoutes } from './task-instances.js';
import { dagRunActionRoutes } from './dag-run-actions.js';
import { dagRunWaitRoutes } from './dag-run-wait.js';
import { taskInstanceActionRoutes } from './task-instance-actions.js';
import { taskDependencyRoutes } from './task-dependencies.js';
import { importErrorRoutes } from './import-errors.js';
import { eventLogRoutes } from './event-logs.js';

export function v2PublicRoutes(deps: AppDeps): Hono {
  return new Hono().route('/', monitorRoutes(deps)).route('/', versionRoutes(deps));
}

export function v2Routes(deps: AppDeps): Hono<AuthEnv> {
  return new Hono<AuthEnv>()
    .route('/', dagRoutes(deps))
    .route('/', dagRunRoutes(deps))
    .route('/', dagRunActionRoutes(deps))
    .route('/', dagRunWaitRoutes(deps))
    // Before the task instance routes: `.../{task_id}/dependencies` must not be read as a map index.
    .route('/', taskDependencyRoutes(deps))
    .route('/', taskInstanceActionRoutes(deps))
    .route('/', taskInstanceRoutes(deps))
    .route('/', importErrorRoutes(deps))
    .route('/', eventLogRoutes(deps));
}
