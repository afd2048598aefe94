// GET /api/v2/dags/{dag_id}/details: the `dag` row and the DAG as parsed from its file now.
import { Hono } from 'hono';
import type { DagRow } from '../../../../engine/state/rows.js';
import type { DagSpec } from '../../../../engine/types.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { ApiError } from '../../errors.js';
import { dagNotFound } from './dags.js';
import { dagDetailsResponse } from './shapes/dag-details.js';

/** The DAG's row and parsed spec; 404 when the state database does not know it or its file no longer defines it. */
export async function parsedDag({ store, dagBag }: AppDeps, dagId: string): Promise<{ row: DagRow; spec: DagSpec }> {
  const row = store.dags.get(dagId);
  if (!row) throw dagNotFound(dagId);
  if (!dagBag) throw new ApiError(404, `DAG with dag_id: '${dagId}' cannot be described: this server was built without the parsed DAGs folder`);
  const spec = await dagBag.get(dagId);
  if (!spec) throw new ApiError(404, `DAG with dag_id: '${dagId}' is not defined by any file of the DAGs folder now (removed, or its file fails to import): see GET /api/v2/importErrors`);
  return { row, spec };
}

export function dagDetailsRoutes(deps: AppDeps): Hono<AuthEnv> {
  return new Hono<AuthEnv>().get('/dags/:dag_id/details', async (c) => {
    const { row, spec } = await parsedDag(deps, c.req.param('dag_id'));
    const active = deps.store.runs.countByState(row.dag_id, ['queued', 'running']);
    return c.json(dagDetailsResponse(row, spec, deps.dagsFolder, active));
  });
}
