// Pause / unpause a DAG, through engine/service/pause.ts (what `dag pause` and PATCH /api/v2/dags/{id} call).
import { z } from 'zod';
import { setDagPaused } from '../../../../engine/service/pause.js';
import { ActionError, defineAction } from './action.js';

export const pauseAction = defineAction({
  name: 'pause',
  title: 'Pause or unpause a DAG',
  role: 'user',
  input: z.object({ dag_id: z.string().min(1), paused: z.enum(['true', 'false']).transform((v) => v === 'true'), back: z.string().optional() }),
  preview({ store }, i) {
    const dag = store.dags.get(i.dag_id);
    if (!dag) throw new ActionError(404, `DAG with dag_id: '${i.dag_id}' not found`);
    const running = store.runs.countByState(i.dag_id, ['queued', 'running']);
    const already = (dag.is_paused === 1) === i.paused;
    return {
      summary: i.paused
        ? `Pause DAG ${i.dag_id}: the scheduler creates no new runs for it until it is unpaused.`
        : `Unpause DAG ${i.dag_id}: the scheduler creates its runs again, from the next one due.`,
      items: [
        ...(already ? [`It is already ${i.paused ? 'paused' : 'active'}: nothing will change.`] : []),
        `${running} run${running === 1 ? ' is' : 's are'} queued or running now; ${i.paused ? 'they go on to the end' : 'they are not affected'}.`,
      ],
      confirm: i.paused ? 'Pause' : 'Unpause',
      back: i.back ?? '/',
    };
  },
  apply({ store }, i, caller) {
    const row = setDagPaused(store, i.dag_id, i.paused, caller.username);
    if (!row) throw new ActionError(404, `DAG with dag_id: '${i.dag_id}' not found`);
    return { message: `DAG ${i.dag_id} is ${i.paused ? 'paused' : 'active'}.`, redirect: i.back ?? '/' };
  },
});
