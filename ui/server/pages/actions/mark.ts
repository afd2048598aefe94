// Mark success / mark failed: a task instance (with its upstream / downstream tasks when asked) through
// engine/service/mark.ts (PATCH .../taskInstances/{task_id}), or a whole run through engine/service/patch-run.ts
// (PATCH .../dagRuns/{run_id}). The confirmation lists every task instance that will change, with its new state.
import { z } from 'zod';
import { markTasks, planMark, stateName } from '../../../../engine/service/mark.js';
import { planRunState, setRunState } from '../../../../engine/service/patch-run.js';
import { ActionError, defineAction, plural, serviceCall, type Preview } from './action.js';
import { dagSpec, flag, inTaskOrder, runOf, runPage } from './fields.js';

const input = z.object({
  dag_id: z.string().min(1),
  run_id: z.string().min(1),
  task_id: z.string().min(1).optional(),
  state: z.enum(['success', 'failed']),
  upstream: flag,
  downstream: flag,
  back: z.string().optional(),
});
type Input = z.infer<typeof input>;

const back = (i: Input) => i.back ?? runPage(i.dag_id, i.run_id, i.task_id);

async function taskRequest(deps: Parameters<typeof dagSpec>[0], i: Input & { task_id: string }) {
  const dag = await dagSpec(deps, i.dag_id);
  return { dag, req: { runId: i.run_id, taskIds: [i.task_id], state: i.state, upstream: i.upstream, downstream: i.downstream } };
}

export const markAction = defineAction({
  name: 'mark',
  title: 'Mark task instances',
  role: 'user',
  input,
  async preview(deps, i): Promise<Preview> {
    const run = runOf(deps, i.dag_id, i.run_id);
    const common = { confirm: `Mark ${i.state}`, back: back(i), danger: i.state === 'failed' };
    if (!i.task_id) {
      const dag = await deps.dagBag?.get(i.dag_id);
      const changes = inTaskOrder(dag, planRunState(deps.store, i.dag_id, i.run_id, i.state).map((c) => ({ ...c, task_id: c.ti.task_id })));
      const what = i.state === 'success' ? 'every task instance not yet successful is marked success' : 'running task instances are marked failed and those that have not run skipped';
      return {
        ...common,
        summary: `Mark run ${i.run_id} ${i.state} (it is ${run.state} now): ${what}; ${plural(changes.length, 'task instance')} will change.`,
        items: changes.map((c) => `${c.ti.task_id}: ${stateName(c.ti.state)} → ${c.next}`),
      };
    }
    const { dag, req } = await taskRequest(deps, { ...i, task_id: i.task_id });
    if (!deps.store.tis.get({ dagId: i.dag_id, runId: i.run_id, taskId: i.task_id })) throw new ActionError(404, `No task ${i.task_id} in run ${i.run_id} of DAG ${i.dag_id}`);
    const tis = inTaskOrder(dag, serviceCall(() => planMark(deps.store, dag, req)));
    const then = i.state === 'success' ? ' Failed and upstream_failed task instances downstream of them are then cleared, so the run resumes.' : '';
    return {
      ...common,
      summary: `${tis.length ? `These ${plural(tis.length, 'task instance')} of run ${i.run_id} will be marked ${i.state}.` : `Nothing changes: the task instances are already ${i.state}.`}${then}`,
      items: tis.map((t) => `${t.task_id}: ${stateName(t.state)} → ${i.state}`),
      options: [
        { field: 'upstream', label: `with the tasks upstream of ${i.task_id}`, on: i.upstream },
        { field: 'downstream', label: `with the tasks downstream of ${i.task_id}`, on: i.downstream },
      ],
    };
  },
  async apply(deps, i, caller) {
    runOf(deps, i.dag_id, i.run_id);
    if (!i.task_id) {
      const n = deps.store.tx(() => {
        const changes = planRunState(deps.store, i.dag_id, i.run_id, i.state).length;
        setRunState(deps.store, { dagId: i.dag_id }, i.run_id, i.state, caller.username);
        return changes;
      });
      return { message: `Run ${i.run_id} marked ${i.state} (${plural(n, 'task instance')} changed).`, redirect: back(i) };
    }
    const { dag, req } = await taskRequest(deps, { ...i, task_id: i.task_id });
    const tis = serviceCall(() => markTasks(deps.store, dag, req, caller.username));
    return { message: `${plural(tis.length, 'task instance')} marked ${i.state}.`, redirect: back(i) };
  },
});
