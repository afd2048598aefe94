// GET .../taskInstances/{task_id}/dependencies: why a task instance is not running yet (engine/service/
// task-dependencies.ts decides; this gathers the facts from the state database and the DAG's definition).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { failedDependencies } from '../../../../engine/service/task-dependencies.js';
import type { TaskState } from '../../../../engine/types.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { query } from '../../request.js';
import { requireRun } from './dag-runs.js';
import { requireTi } from './task-instances.js';

const MapIndexQuery = z.object({ map_index: z.coerce.number().int().default(-1) });

export function taskDependencyRoutes(deps: AppDeps): Hono<AuthEnv> {
  const { store } = deps;
  const app = new Hono<AuthEnv>();
  const handler = async (c: Context<AuthEnv>, mapIndex?: number) => {
    const { dag_id, run_id, task_id } = c.req.param() as Record<string, string>;
    const q = query(c, MapIndexQuery);
    const ti = requireTi(store, dag_id, run_id, task_id, mapIndex ?? q.map_index);
    const run = requireRun(store, dag_id, run_id);
    const dag = await deps.dagBag?.get(dag_id);
    const task = dag?.tasks.find((t) => t.taskId === task_id);
    const states = new Map(store.tis.forRun(dag_id, run_id).map((t) => [t.task_id, t.state]));
    const previous = task?.dependsOnPast
      ? (store.db
          .prepare(`SELECT ti.state FROM dag_run r JOIN task_instance ti ON ti.dag_id = r.dag_id AND ti.run_id = r.run_id AND ti.task_id = ?
                    WHERE r.dag_id = ? AND r.logical_date < ? ORDER BY r.logical_date DESC LIMIT 1`)
          .get(task_id, dag_id, run.logical_date) as { state: TaskState } | undefined)
      : undefined;
    const dependencies = failedDependencies({
      state: ti.state,
      task,
      upstream: (task?.upstream ?? []).map((u) => ({ taskId: u, state: states.get(u) ?? null })),
      runState: run.state,
      dagPaused: store.dags.isPaused(dag_id),
      pool: ti.pool,
      poolSlots: ti.pool_slots,
      poolSize: store.pools.slots(ti.pool),
      poolOccupied: store.tis.occupiedSlots(ti.pool),
      dagActive: store.tis.activeForDag(dag_id),
      maxActiveTasks: dag?.maxActiveTasks ?? store.dags.get(dag_id)?.max_active_tasks ?? 16,
      nextRetryAt: ti.next_retry_at,
      previousState: previous?.state,
      now: new Date(),
    });
    return c.json({ dependencies });
  };
  const base = '/dags/:dag_id/dagRuns/:run_id/taskInstances/:task_id';
  app.get(`${base}/dependencies`, (c) => handler(c));
  app.get(`${base}/:map_index{-?[0-9]+}/dependencies`, (c) => handler(c, Number(c.req.param('map_index'))));
  return app;
}
