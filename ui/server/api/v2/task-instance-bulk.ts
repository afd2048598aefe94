// PATCH /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances (bulk update and delete, `~` for any DAG or run)
// and DELETE .../taskInstances/{task_id}, through the engine's service layer: the same mark, note and delete
// operations as one task instance's PATCH and the admin UI, each with its audit log entry.
import { Hono } from 'hono';
import { z } from 'zod';
import { UserError, type DagSpec } from '../../../../engine/types.js';
import { NotFoundError } from '../../../../engine/service/errors.js';
import { bulkTaskInstances, bulkTiDagIds, type BulkTiEntity } from '../../../../engine/service/bulk-task-instances.js';
import type { BulkAction } from '../../../../engine/service/bulk.js';
import { deleteTaskInstance } from '../../../../engine/service/delete-task-instance.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { ApiError } from '../../errors.js';
import { jsonBody, query } from '../../request.js';
import { bulkBody } from './bulk-body.js';
import { requireDagSpec, service } from './service-calls.js';
import { PatchBody } from './task-instance-actions.js';

/** BulkTaskInstanceBody: PatchTaskInstanceBody plus which task instance (task_id; dag_id, dag_run_id when the path has `~`). */
const BulkTiBody = PatchBody.extend({
  task_id: z.string(),
  dag_id: z.string().nullish(),
  dag_run_id: z.string().nullish(),
  map_index: z.number().int().nullish(),
});

const DeleteQuery = z.object({ map_index: z.coerce.number().int().default(-1) });

/** A DAG's definition, or the error a bulk update reports for its entities (404 unknown, 400 broken). */
async function dagOrError(deps: AppDeps, dagId: string): Promise<DagSpec | UserError> {
  try {
    return await requireDagSpec(deps, dagId, 'changed');
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const detail = String(err.detail);
    return err.status === 404 ? new NotFoundError(detail) : new UserError(detail);
  }
}

export function taskInstanceBulkRoutes(deps: AppDeps): Hono<AuthEnv> {
  const { store } = deps;
  const app = new Hono<AuthEnv>();

  app.patch('/dags/:dag_id/dagRuns/:run_id/taskInstances', async (c) => {
    const { dag_id: dagId, run_id: runId } = c.req.param();
    const body = await jsonBody(c, bulkBody(BulkTiBody));
    // new_state passed PatchBody's check that it is one a user may set
    const actions = body.actions as BulkAction<BulkTiEntity>[];
    const dags = new Map(await Promise.all(bulkTiDagIds(actions, { dagId }).map(async (id) => [id, await dagOrError(deps, id)] as const)));
    return c.json(bulkTaskInstances(store, actions, { dagId, runId, dags, user: c.get('caller').username }));
  });

  app.delete('/dags/:dag_id/dagRuns/:run_id/taskInstances/:task_id', (c) => {
    const { dag_id: dagId, run_id: runId, task_id: taskId } = c.req.param();
    const { map_index: mapIndex } = query(c, DeleteQuery);
    service(() => deleteTaskInstance(store, { dagId, runId, taskId, mapIndex }, c.get('caller').username));
    return c.json(null);
  });

  return app;
}
