// Delete a run with its task instances, their tries and XComs, through engine/service/delete-run.ts (DELETE
// /api/v2/dags/{dag_id}/dagRuns/{run_id}). The confirmation says how many task instances go with it, or why it
// cannot be deleted now (a live process drives it: mark it failed first).
import { z } from 'zod';
import { deleteRun, planDeleteRun } from '../../../../engine/service/delete-run.js';
import { ActionError, defineAction, plural, serviceCall } from './action.js';

const input = z.object({ dag_id: z.string().min(1), run_id: z.string().min(1), back: z.string().optional() });
type Input = z.infer<typeof input>;

/** Back where the user was, without the run that no longer exists selected. */
function back(i: Input): string {
  const u = new URL(i.back ?? `/dags/${encodeURIComponent(i.dag_id)}`, 'http://x');
  if (u.searchParams.get('run') === i.run_id) {
    u.searchParams.delete('run');
    u.searchParams.delete('task');
  }
  return u.pathname + u.search;
}

export const deleteRunAction = defineAction({
  name: 'delete-run',
  title: 'Delete a run',
  role: 'user',
  input,
  preview({ store }, i) {
    const plan = serviceCall(() => planDeleteRun(store, i.dag_id, i.run_id));
    if (plan.refusal) throw new ActionError(409, `It cannot be deleted now: ${plan.refusal}.`);
    return {
      summary: `Delete run ${i.run_id} of DAG ${i.dag_id} (${plan.run.state}, ${plan.run.run_type}) with its ${plural(plan.taskInstances, 'task instance')}, their tries and XComs. This cannot be undone.`,
      items: [`${plural(plan.taskInstances, 'task instance')} will be deleted with the run.`],
      confirm: 'Delete the run',
      back: i.back ?? `/dags/${encodeURIComponent(i.dag_id)}?run=${encodeURIComponent(i.run_id)}`,
      danger: true,
    };
  },
  apply({ store }, i, caller) {
    const n = serviceCall(() => planDeleteRun(store, i.dag_id, i.run_id)).taskInstances;
    serviceCall(() => deleteRun(store, i.dag_id, i.run_id, caller.username));
    return { message: `Run ${i.run_id} deleted with its ${plural(n, 'task instance')}.`, redirect: back(i) };
  },
});
