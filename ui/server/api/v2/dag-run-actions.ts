// What a user does to runs through API v2, each through the engine's service layer (the same code as the CLI):
// trigger (POST /dags/{dag_id}/dagRuns), patch state / note, delete, and clear (dry run by default). The web server
// only writes state: the run it queues is started by the scheduler.
import { Hono } from 'hono';
import { z } from 'zod';
import { triggerDagRun } from '../../../../engine/service/trigger.js';
import { setRunNote, setRunState } from '../../../../engine/service/patch-run.js';
import { deleteRun } from '../../../../engine/service/delete-run.js';
import { clearTasks, planClear } from '../../../../engine/service/clear.js';
import { checkName } from '../../../../engine/dag/names.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { ApiError } from '../../errors.js';
import { jsonBody, qStrings, query } from '../../request.js';
import { zonedDate } from './ranges.js';
import { dagRunResponse } from './shapes/dag-run.js';
import { requireRun } from './dag-runs.js';
import { requireDagSpec, service } from './service-calls.js';
import { tiCollection } from './task-instance-rows.js';

const runIdField = z.string().superRefine((v, ctx) => {
  const problem = checkName('run id', v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** TriggerDAGRunPostBody (strict, every field optional; logical_date may be null). */
const TriggerBody = z
  .strictObject({
    dag_run_id: runIdField.nullish(),
    logical_date: zonedDate.nullish(),
    run_after: zonedDate.nullish(),
    data_interval_start: zonedDate.nullish(),
    data_interval_end: zonedDate.nullish(),
    conf: z.record(z.string(), z.unknown()).nullish(),
    note: z.string().max(1000).nullish(),
    partition_key: z.string().nullish(),
  })
  .superRefine((b, ctx) => {
    if ((b.data_interval_start == null) !== (b.data_interval_end == null)) {
      ctx.addIssue({ code: 'custom', path: ['data_interval_start'], message: 'Value error, Either both data_interval_start and data_interval_end must be provided or both must be None' });
    } else if (b.data_interval_start && b.data_interval_end && b.data_interval_start > b.data_interval_end) {
      ctx.addIssue({ code: 'custom', path: ['data_interval_start'], message: 'Value error, data_interval_start must be before data_interval_end' });
    }
  });

const PatchBody = z.strictObject({
  state: z.enum(['queued', 'success', 'failed']).nullish(),
  note: z.string().max(1000).nullish(),
});
const PatchQuery = z.object({ update_mask: qStrings.optional() });

const ClearBody = z.strictObject({
  dry_run: z.boolean().default(true),
  only_failed: z.boolean().default(false),
  run_on_latest_version: z.boolean().default(false),
});

/** The fields of a patch body to apply: those in update_mask, else those present; an unknown mask field is 400. */
export function maskedFields<K extends string>(mask: string[] | undefined, allowed: readonly K[], body: Partial<Record<K, unknown>>): K[] {
  if (!mask) return allowed.filter((k) => body[k] !== undefined);
  const unknown = mask.filter((m) => !(allowed as readonly string[]).includes(m));
  if (unknown.length) throw new ApiError(400, `Invalid field in update_mask: ${unknown.join(', ')}; the fields that can be updated are ${allowed.join(', ')}`);
  return mask as K[];
}

export function dagRunActionRoutes(deps: AppDeps): Hono<AuthEnv> {
  const { store } = deps;
  const app = new Hono<AuthEnv>();

  app.post('/dags/:dag_id/dagRuns', async (c) => {
    const dagId = c.req.param('dag_id');
    const b = await jsonBody(c, TriggerBody);
    if (b.partition_key != null) throw new ApiError(400, 'partition_key is not supported: windsock has no partitioned timetables; leave it out');
    const dag = await requireDagSpec(deps, dagId);
    const row = service(() =>
      triggerDagRun(store, dag, {
        conf: b.conf ?? {},
        logicalDate: b.logical_date ?? null,
        runId: b.dag_run_id ?? undefined,
        runAfter: b.run_after ?? undefined,
        dataInterval: b.data_interval_start && b.data_interval_end ? { start: b.data_interval_start, end: b.data_interval_end } : undefined,
        note: b.note,
        triggeredBy: 'rest_api',
        user: c.get('caller').username,
        names: { runId: 'dag_run_id', logicalDate: 'logical_date' },
      }),
    );
    return c.json(dagRunResponse(row), 200);
  });

  app.patch('/dags/:dag_id/dagRuns/:run_id', async (c) => {
    const { dag_id, run_id } = c.req.param();
    const { update_mask } = query(c, PatchQuery);
    const b = await jsonBody(c, PatchBody);
    requireRun(store, dag_id, run_id);
    const user = c.get('caller').username;
    const fields = maskedFields(update_mask, ['state', 'note'] as const, b);
    for (const f of fields) {
      if (f === 'state' && b.state) setRunState(store, { dagId: dag_id }, run_id, b.state, user);
      if (f === 'note') setRunNote(store, dag_id, run_id, b.note ?? null, user);
    }
    return c.json(dagRunResponse(requireRun(store, dag_id, run_id)));
  });

  app.delete('/dags/:dag_id/dagRuns/:run_id', (c) => {
    const { dag_id, run_id } = c.req.param();
    service(() => deleteRun(store, dag_id, run_id, c.get('caller').username));
    return c.body(null, 204);
  });

  app.post('/dags/:dag_id/dagRuns/:run_id/clear', async (c) => {
    const { dag_id, run_id } = c.req.param();
    const b = await jsonBody(c, ClearBody);
    requireRun(store, dag_id, run_id);
    const dag = await requireDagSpec(deps, dag_id, 'cleared');
    const sel = { runIds: [run_id], onlyFailed: b.only_failed };
    if (b.dry_run) return c.json(tiCollection(store, planClear(store, dag, sel).flatMap((p) => p.tis)));
    service(() => clearTasks(store, dag, sel, { user: c.get('caller').username }));
    return c.json(dagRunResponse(requireRun(store, dag_id, run_id)));
  });

  return app;
}
