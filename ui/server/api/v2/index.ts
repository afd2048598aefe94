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
import { taskInstanceBulkRoutes } from './task-instance-bulk.js';
import { taskDependencyRoutes } from './task-dependencies.js';
import { importErrorRoutes } from './import-errors.js';
import { eventLogRoutes } from './event-logs.js';
import { dagDetailsRoutes } from './dag-details.js';
import { taskRoutes } from './tasks.js';
import { dagSourceRoutes } from './dag-sources.js';
import { dagStatRoutes } from './dag-stats.js';
import { dagTagRoutes } from './dag-tags.js';
import { dagWarningRoutes } from './dag-warnings.js';
import { logRoutes } from './logs.js';
import { xcomRoutes } from './xcom.js';
import { poolRoutes } from './pools.js';
import { variableRoutes } from './variables.js';
import { configRoutes } from './config.js';
import { backfillRoutes } from './backfills.js';
import { jobRoutes } from './jobs.js';
import { pluginRoutes } from './plugins.js';

export function v2PublicRoutes(deps: AppDeps): Hono {
  return new Hono().route('/', monitorRoutes(deps)).route('/', versionRoutes(deps));
}

export function v2Routes(deps: AppDeps): Hono<AuthEnv> {
  return new Hono<AuthEnv>()
    .route('/', dagRoutes(deps))
    .route('/', dagRunRoutes(deps))
    // before the task instance routes: `.../taskInstances/{task_id}/{map_index}` would otherwise take
    // `.../taskInstances/{task_id}/xcomEntries` (Hono answers with the first route registered that matches)
    .route('/', logRoutes(deps))
    .route('/', xcomRoutes(deps))
    .route('/', dagRunActionRoutes(deps))
    .route('/', dagRunWaitRoutes(deps))
    // Before the task instance routes: `.../{task_id}/dependencies` must not be read as a map index.
    .route('/', taskDependencyRoutes(deps))
    .route('/', taskInstanceActionRoutes(deps))
    .route('/', taskInstanceBulkRoutes(deps))
    .route('/', taskInstanceRoutes(deps))
    .route('/', importErrorRoutes(deps))
    .route('/', eventLogRoutes(deps))
    .route('/', dagDetailsRoutes(deps))
    .route('/', taskRoutes(deps))
    .route('/', dagSourceRoutes(deps))
    .route('/', dagStatRoutes(deps))
    .route('/', dagTagRoutes(deps))
    .route('/', dagWarningRoutes(deps))
    .route('/', poolRoutes(deps))
    .route('/', variableRoutes(deps))
    .route('/', configRoutes(deps))
    .route('/', backfillRoutes(deps))
    .route('/', jobRoutes(deps))
    .route('/', pluginRoutes(deps));
}
