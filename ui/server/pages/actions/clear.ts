// Clear task instances so the scheduler runs them again, through engine/service/clear.ts (what `dag tasks clear` and
// POST /api/v2/dags/{id}/clearTaskInstances call). The confirmation lists exactly what the plan will clear.
import { z } from 'zod';
import { clearTasks, planClear, type ClearSelection } from '../../../../engine/service/clear.js';
import { ActionError, defineAction, plural, type PreviewOption } from './action.js';
import { dagSpec, flag, inTaskOrder, runOf, runPage } from './fields.js';

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

function selection(i: Input): ClearSelection {
  return { runIds: [i.run_id], taskIds: i.task_id ? [i.task_id] : undefined, includeUpstream: i.upstream, includeDownstream: i.downstream, onlyFailed: i.only_failed };
}

const back = (i: Input) => i.back ?? runPage(i.dag_id, i.run_id, i.task_id);

/** A task's clear can take its upstream and downstream tasks too; a run's clears all its tasks or the failed ones. */
function options(i: Input): PreviewOption[] {
  const task: PreviewOption[] = i.task_id
    ? [
        { field: 'upstream', label: `with the tasks upstream of ${i.task_id}`, on: i.upstream },
        { field: 'downstream', label: `with the tasks downstream of ${i.task_id}`, on: i.downstream },
      ]
    : [];
  return [...task, { field: 'only_failed', label: 'only failed and upstream_failed task instances', on: i.only_failed }];
}

export const clearAction = defineAction({
  name: 'clear',
  title: 'Clear task instances',
  role: 'user',
  input,
  async preview(deps, i) {
    runOf(deps, i.dag_id, i.run_id);
    const dag = await dagSpec(deps, i.dag_id);
    const tis = inTaskOrder(dag, planClear(deps.store, dag, selection(i)).flatMap((p) => p.tis));
    if (!tis.length) throw new ActionError(409, `Nothing to clear in run ${i.run_id}${i.task_id ? ` for task ${i.task_id}` : ''}${i.only_failed ? ' (only failed)' : ''}.`);
    return {
      summary: `These ${tis.length} task instance${tis.length === 1 ? '' : 's'} of run ${i.run_id} will be cleared: they go back to no state and the scheduler runs them again.`,
      items: tis.map((t) => `${t.task_id} (${t.state ?? 'no state'})`),
      confirm: `Clear ${plural(tis.length, 'task instance')}`,
      back: back(i),
      danger: true,
      options: options(i),
    };
  },
  async apply(deps, i, caller) {
    const plan = clearTasks(deps.store, await dagSpec(deps, i.dag_id), selection(i), { user: caller.username });
    const n = plan.reduce((sum, p) => sum + p.tis.length, 0);
    return { message: `${plural(n, 'task instance')} cleared.`, redirect: back(i) };
  },
});
