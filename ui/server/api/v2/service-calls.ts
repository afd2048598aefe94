// The v2 routes' way into engine/service: a DAG's definition looked up (404 unknown, 400 broken), and the service's
// errors answered as Airflow answers them: NotFound 404, Conflict 409, any other UserError 400.
import { UserError, type DagSpec } from '../../../../engine/types.js';
import { ConflictError, NotFoundError } from '../../../../engine/service/errors.js';
import type { AppDeps } from '../../deps.js';
import { ApiError } from '../../errors.js';
import { dagNotFound } from './dags.js';

/** Run a service call; its user errors become HTTP errors. */
export function service<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw httpError(err);
  }
}

export function httpError(err: unknown): unknown {
  if (err instanceof NotFoundError) return new ApiError(404, err.message);
  if (err instanceof ConflictError) return new ApiError(409, err.message);
  if (err instanceof UserError) return new ApiError(400, err.hint ? `${err.message} (${err.hint})` : err.message);
  return err;
}

/** The DAG's definition as the scheduler reads it from the DAGs folder. */
export async function requireDagSpec(deps: AppDeps, dagId: string, action = 'triggered'): Promise<DagSpec> {
  const row = deps.store.dags.get(dagId);
  if (row?.has_import_errors) throw new ApiError(400, `DAG with dag_id: '${dagId}' has import errors and cannot be ${action}`);
  if (!deps.dagBag) throw new ApiError(503, 'DAG definitions are not available to this server');
  const spec = await deps.dagBag.get(dagId);
  if (!spec) {
    if (row?.has_import_errors === 0 && row.is_active === 1) throw new ApiError(400, `DAG with dag_id: '${dagId}' could not be read from the DAGs folder: see GET /api/v2/importErrors`);
    throw dagNotFound(dagId);
  }
  return spec;
}
