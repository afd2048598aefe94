// Changing task instances through API v2, through the engine's service layer (the same code as the CLI): PATCH
// .../taskInstances/{task_id} (new_state with upstream / downstream / future / past, note), its /dry_run twin that
// writes nothing, and POST /dags/{dag_id}/clearTaskInstances (a dry run unless told otherwise).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { MARKABLE_STATES, markTasks, planMark, setTaskInstanceNote } from '../../../../engine/service/mark.js';
import { clearTasks, planClear, type ClearSelection } from '../../../../engine/service/clear.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { ApiError } from '../../errors.js';
import { jsonBody, qStrings, query } from '../../request.js';
import { zonedDate } from './ranges.js';
import { requireRun } from './dag-runs.js';
import { requireTi } from './task-instances.js';
import { requireDagSpec, service } from './service-calls.js';
import { tiCollection } from './task-instance-rows.js';
import { TI_STATES } from './shapes/task-instance.js';
import { maskedFields } from './dag-run-actions.js';
import { dagNotFound } from './dags.js';


/** PatchTaskInstanceBody; new_state is a TaskInstanceState, of which a user may set success, failed or skipped. */
export const PatchBody = z.strictObject({
  new_state: z
    .enum(TI_STATES)
    .nullish()
    .refine((s) => s == null || (MARKABLE_STATES as readonly string[]).includes(s), { message: `Value error, the new state must be one of ${MARKABLE_STATES.join(', ')}` }),
  note: z.string().max(1000).nullish(),
  include_upstream: z.boolean().default(false),
  include_downstream: z.boolean().default(false),
  include_future: z.boolean().default(false),
  include_past: z.boolean().default(false),
});
const PatchQuery = z.object({ map_index: z.coerce.number().int().optional(), update_mask: qStrings.optional() });

const ClearBody = z.strictObject({
  dry_run: z.boolean().default(true),
  start_date: zonedDate.nullish(),
  end_date: zonedDate.nullish(),
  only_failed: z.boolean().default(true),
  only_running: z.boolean().default(false),
  reset_dag_runs: z.boolean().default(true),
  task_ids: z.array(z.union([z.string(), z.tuple([z.string(), z.number().int()])])).nullish(),
  dag_run_id: z.string().nullish(),
  include_upstream: z.boolean().default(false),
  include_downstream: z.boolean().default(false),
  include_future: z.boolean().default(false),
  include_past: z.boolean().default(false),
  run_on_latest_version: z.boolean().default(false),
  prevent_running_task: z.boolean().default(false),
});

export function taskInstanceActionRoutes(deps: AppDeps): Hono<AuthEnv> {
  const { store } = deps;
  const app = new Hono<AuthEnv>();
  const base = '/dags/:dag_id/dagRuns/:run_id/taskInstances/:task_id';

  const patch = (dryRun: boolean) => async (c: Context<AuthEnv>) => {
    const { dag_id, run_id, task_id } = c.req.param() as Record<string, string>;
    const q = query(c, PatchQuery);
    const mapIndex = c.req.param('map_index') !== undefined ? Number(c.req.param('map_index')) : (q.map_index ?? -1);
    const b = await jsonBody(c, PatchBody);
    const ti = requireTi(store, dag_id, run_id, task_id, mapIndex);
    const fields = maskedFields(q.update_mask, ['new_state', 'note'] as const, b);
    const user = c.get('caller').username;
    const key = { dagId: dag_id, runId: run_id, taskId: task_id };
    let tis = [ti];
    if (fields.includes('new_state') && b.new_state) {
      const dag = await requireDagSpec(deps, dag_id, 'changed');
      const req = {
        runId: run_id,
        taskIds: [task_id],
        state: b.new_state as (typeof MARKABLE_STATES)[number],
        upstream: b.include_upstream,
        downstream: b.include_downstream,
        future: b.include_future,
        past: b.include_past,
      };
      if (dryRun) return c.json(tiCollection(store, service(() => planMark(store, dag, req))));
      tis = service(() => markTasks(store, dag, req, user));
      if (!tis.length) throw new ApiError(409, `Task id ${task_id} is already in ${b.new_state} state`);
    }
    if (fields.includes('note') && !dryRun) {
      setTaskInstanceNote(store, key, b.note ?? null, user);
      tis = tis.map((t) => store.tis.get({ dagId: t.dag_id, runId: t.run_id, taskId: t.task_id }) ?? t);
    }
    return c.json(tiCollection(store, tis));
  };
  // The dry-run paths first: `/dry_run` must not be read as a map index.
  app.patch(`${base}/dry_run`, patch(true));
  app.patch(`${base}/:map_index{-?[0-9]+}/dry_run`, patch(true));
  app.patch(base, patch(false));
  app.patch(`${base}/:map_index{-?[0-9]+}`, patch(false));

  app.post('/dags/:dag_id/clearTaskInstances', async (c) => {
    const dagId = c.req.param('dag_id');
    const b = await jsonBody(c, ClearBody);
    if (!store.dags.get(dagId)) throw dagNotFound(dagId);
    if (b.dag_run_id != null) requireRun(store, dagId, b.dag_run_id);
    if (b.start_date && b.end_date && b.start_date > b.end_date) throw new ApiError(422, [{ loc: ['body', 'start_date'], msg: 'Value error, start_date must be on or before end_date', type: 'value_error', input: b.start_date.toISOString() }]);
    const dag = await requireDagSpec(deps, dagId, 'cleared');
    // [task_id, map_index] pairs name mapped instances; windsock's are all map index -1.
    const taskIds = b.task_ids?.flatMap((t) => (typeof t === 'string' ? [t] : t[1] === -1 ? [t[0]] : []));
    const sel: ClearSelection = {
      runIds: b.dag_run_id != null ? [b.dag_run_id] : undefined,
      from: b.start_date ?? undefined,
      to: b.end_date ?? undefined,
      taskIds: b.task_ids ? taskIds : undefined,
      includeUpstream: b.include_upstream,
      includeDownstream: b.include_downstream,
      includePast: b.include_past,
      includeFuture: b.include_future,
      onlyFailed: b.only_failed,
      onlyRunning: b.only_running,
    };
    const planned = planClear(store, dag, sel).flatMap((p) => p.tis);
    if (b.prevent_running_task && planned.some((t) => t.state === 'running')) {
      const running = planned.filter((t) => t.state === 'running').map((t) => `${t.task_id} (${t.run_id})`);
      throw new ApiError(409, `Task instances in running state cannot be cleared with prevent_running_task: ${running.join(', ')}`);
    }
    if (b.dry_run) return c.json(tiCollection(store, planned));
    const cleared = service(() => clearTasks(store, dag, sel, { resetDagRuns: b.reset_dag_runs, user: c.get('caller').username }));
    return c.json(tiCollection(store, cleared.flatMap((p) => p.tis)));
  });

  return app;
}
