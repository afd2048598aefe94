// Clear task instances so the scheduler runs them again, through engine/service/clear.ts (what `dag tasks clear` and
// POST /api/v2/dags/{id}/clearTaskInstances call). The confirmation lists exactly what the plan will clear.
import { z } from 'zod';
import { clearTasks, planClear, type ClearSelection } from '../../../../engine/service/clear.js';
import type { DagSpec } from '../../../../engine/types.js';
import type { AppDeps } from '../../deps.js';
import { ActionError, defineAction } from './action.js';

const flag = z.enum(['true', 'false']).optional().transform((v) => v === 'true');

const input = z.object({
  dag_id: z.string().min(1),
  run_id: z.string().min(1),
  task_id: z.string().min(1).optional(),
  only_failed: flag,
  upstream: flag,
  downstream: flag,
  back: z.string().optional(),
});
type Input = z.infer<typeof input>;

async function dagOf(deps: AppDeps, dagId: string): Promise<DagSpec> {
  const dag = await deps.dagBag?.get(dagId);
  if (!dag) throw new ActionError(404, `DAG with dag_id: '${dagId}' is not in the DAGs folder`);
  return dag;
}

function selection(i: Input): ClearSelection {
  return { runIds: [i.run_id], taskIds: i.task_id ? [i.task_id] : undefined, includeUpstream: i.upstream, includeDownstream: i.downstream, onlyFailed: i.only_failed };
}

const back = (i: Input) => i.back ?? `/dags/${encodeURIComponent(i.dag_id)}?run=${encodeURIComponent(i.run_id)}${i.task_id ? `&task=${encodeURIComponent(i.task_id)}` : ''}`;

export const clearAction = defineAction({
  name: 'clear',
  title: 'Clear task instances',
  role: 'user',
  input,
  async preview(deps, i) {
    if (!deps.store.runs.get(i.dag_id, i.run_id)) throw new ActionError(404, `No run ${i.run_id} of DAG ${i.dag_id}`);
    const tis = planClear(deps.store, await dagOf(deps, i.dag_id), selection(i)).flatMap((p) => p.tis);
    if (!tis.length) throw new ActionError(409, `Nothing to clear in run ${i.run_id}${i.task_id ? ` for task ${i.task_id}` : ''}${i.only_failed ? ' (only failed)' : ''}.`);
    return {
      summary: `These ${tis.length} task instance${tis.length === 1 ? '' : 's'} of run ${i.run_id} will be cleared: they go back to no state and the scheduler runs them again.`,
      items: tis.map((t) => `${t.task_id} (${t.state ?? 'no state'})`),
      confirm: 'Clear',
      back: back(i),
      danger: true,
    };
  },
  async apply(deps, i, caller) {
    const plan = clearTasks(deps.store, await dagOf(deps, i.dag_id), selection(i), { user: caller.username });
    const n = plan.reduce((sum, p) => sum + p.tis.length, 0);
    return { message: `${n} task instance${n === 1 ? '' : 's'} cleared.`, redirect: back(i) };
  },
});
