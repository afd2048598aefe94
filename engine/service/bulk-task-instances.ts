// Bulk update and delete of task instances (PATCH /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances), as
// Airflow 3.1's BulkTaskInstanceService (api_fastapi/core_api/services/public/task_instances.py): an update marks a
// state and / or sets a note through the same operations as PATCH of one task instance (mark.ts); a delete is
// delete-task-instance.ts; create is refused with 405. Entities name their task instance by task_id, and by dag_id
// and dag_run_id when the path has `~`; results are keyed `dag_id.dag_run_id.task_id[map_index]`, as Airflow's are.
// Each action applies whole or not at all (runBulk's savepoint), and reports one error when it does not.
import type { DagSpec } from '../types.js';
import { UserError } from '../types.js';
import type { Store } from '../state/store.js';
import { runBulk, type BulkAction, type BulkActionResult } from './bulk.js';
import { deleteTaskInstance } from './delete-task-instance.js';
import { NotFoundError, ConflictError } from './errors.js';
import { markTasks, setTaskInstanceNote, type MarkableState } from './mark.js';

export interface BulkTiEntity {
  task_id: string;
  dag_id?: string | null;
  dag_run_id?: string | null;
  map_index?: number | null;
  new_state?: MarkableState | null;
  note?: string | null;
  include_upstream: boolean;
  include_downstream: boolean;
  include_future: boolean;
  include_past: boolean;
}

interface Target {
  dagId: string;
  runId: string;
  taskId: string;
  mapIndex: number;
}

export interface BulkTiContext {
  /** The path's DAG and run ids, `~` for any (then each entity names its own). */
  dagId: string;
  runId: string;
  /** The DAG definitions an update needs (bulkTiDagIds), or the error that says why one cannot be had. */
  dags: Map<string, DagSpec | UserError>;
  user?: string;
}

const WILDCARD = '~';

/** Which task instance an entity names; `named`: it was given as a bare task id string. */
type TiRef = Pick<BulkTiEntity, 'task_id' | 'dag_id' | 'dag_run_id' | 'map_index'> & { named?: boolean };

/** Where an entity points: its own ids, else the path's. */
function resolve(e: TiRef, ctx: BulkTiContext): Target {
  const dagId = e.dag_id || ctx.dagId;
  const runId = e.dag_run_id || ctx.runId;
  if (dagId === WILDCARD || runId === WILDCARD) {
    throw new UserError(
      e.named
        ? `When using wildcard in path, dag_id and dag_run_id must be specified in BulkTaskInstanceBody object, not as string for task_id: ${e.task_id}`
        : `When using wildcard in path, dag_id and dag_run_id must be specified in request body for task_id: ${e.task_id}`,
    );
  }
  return { dagId, runId, taskId: e.task_id, mapIndex: e.map_index ?? -1 };
}

const keyOf = (t: Target) => `${t.dagId}.${t.runId}.${t.taskId}[${t.mapIndex}]`;

/** The DAG ids whose definitions the update actions need (to mark states), for the caller to look up first. */
export function bulkTiDagIds(actions: BulkAction<BulkTiEntity>[], ctx: Pick<BulkTiContext, 'dagId'>): string[] {
  const ids = new Set<string>();
  for (const a of actions) if (a.action === 'update') for (const e of a.entities) ids.add(e.dag_id || ctx.dagId);
  ids.delete(WILDCARD);
  return [...ids];
}

/** Each kind of action asked for, with what it did; null for those not asked for (Airflow's BulkResponse). */
export type BulkTiResult = Record<'create' | 'update' | 'delete', BulkActionResult | null>;

export function bulkTaskInstances(store: Store, actions: BulkAction<BulkTiEntity>[], ctx: BulkTiContext): BulkTiResult {
  const targets = new Map<string, Target>();
  const key = (e: TiRef) => {
    const t = resolve(e, ctx);
    const k = keyOf(t);
    targets.set(k, t);
    return k;
  };
  const exists = (k: string) => {
    const t = targets.get(k)!;
    return t.mapIndex === -1 && store.tis.get(t) !== undefined;
  };
  // Bare task ids as references, so that every entity goes through `key` (runBulk takes a string as its own key).
  const refs = actions
    .filter((a) => a.action !== 'create')
    .map((a) => (a.action === 'delete' ? { ...a, entities: a.entities.map((e): TiRef => (typeof e === 'string' ? { task_id: e, named: true } : e)) } : a));
  const results = runBulk<TiRef>(store, refs as BulkAction<TiRef>[], {
    what: 'task instances with these keys',
    key,
    exists,
    create: () => undefined,
    update: (e, mask) => update(store, e as BulkTiEntity, targets.get(key(e))!, mask, ctx),
    delete: (k) => void deleteTaskInstance(store, targets.get(k)!, ctx.user),
  });
  const asked = new Set(actions.map((a) => a.action));
  for (const a of actions) if (a.action === 'create') results.create.errors.push({ error: 'Task instances bulk create is not supported', status_code: 405 });
  const answer = (a: keyof BulkTiResult) => (asked.has(a) ? results[a] : null);
  return { create: answer('create'), update: answer('update'), delete: answer('delete') };
}

/** One entity's update: the fields it sets (within the mask, if any), as PATCH of one task instance does them. */
function update(store: Store, e: BulkTiEntity, t: Target, mask: string[] | null | undefined, ctx: BulkTiContext): void {
  const fields = (['new_state', 'note'] as const).filter((f) => e[f] !== undefined && (!mask || mask.includes(f)));
  if (fields.includes('new_state') && e.new_state) {
    const dag = ctx.dags.get(t.dagId);
    if (dag === undefined || dag instanceof UserError) throw dag ?? new NotFoundError(`The Dag with ID: \`${t.dagId}\` was not found`);
    if (!dag.tasks.some((task) => task.taskId === t.taskId)) throw new NotFoundError(`Task '${t.taskId}' not found in DAG '${t.dagId}'`);
    const req = { runId: t.runId, taskIds: [t.taskId], state: e.new_state, upstream: e.include_upstream, downstream: e.include_downstream, future: e.include_future, past: e.include_past };
    if (!markTasks(store, dag, req, ctx.user).length) throw new ConflictError(`Task id ${t.taskId} is already in ${e.new_state} state`);
  }
  if (fields.includes('note')) setTaskInstanceNote(store, t, e.note ?? null, ctx.user);
}
