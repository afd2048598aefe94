// Pause, unpause or cancel a backfill, through engine/service/backfill.ts (what PUT /api/v2/backfills/{id}/pause,
// /unpause and /cancel call). The confirmation says what happens to its runs: paused, the scheduler starts none of
// its queued runs (those running go on); cancelled, its queued runs are failed and the backfill completes (Airflow 3's
// _cancel_backfill).
import { z } from 'zod';
import { cancelBackfill, getBackfill, setBackfillPaused } from '../../../../engine/service/backfill.js';
import { backfillRuns } from '../data/backfills.js';
import { ActionError, defineAction, plural, serviceCall } from './action.js';

const input = z.object({
  backfill_id: z.coerce.number({ error: 'must be a backfill id' }).int().min(0),
  to: z.enum(['pause', 'unpause', 'cancel']),
  back: z.string().optional(),
});

const runsTab = (dagId: string) => `/dags/${encodeURIComponent(dagId)}/runs`;

export const backfillStateAction = defineAction({
  name: 'backfill-state',
  title: 'Pause, unpause or cancel a backfill',
  role: 'user',
  input,
  preview({ store }, i) {
    const b = serviceCall(() => getBackfill(store, i.backfill_id));
    if (b.completed_at) throw new ActionError(409, `Backfill ${b.id} of ${b.dag_id} is already completed: there is nothing to ${i.to}.`);
    const runs = backfillRuns(store, [b.id]).get(b.id)!; // any backfill, not only the ones its DAG's page lists
    const queued = runs.queued ?? 0;
    const running = runs.running ?? 0;
    const range = `${b.from_date} to ${b.to_date}`;
    const already = (i.to === 'pause' && b.is_paused) || (i.to === 'unpause' && !b.is_paused);
    const summary = {
      pause: `Pause backfill ${b.id} of ${b.dag_id} (${range}): the scheduler starts none of its queued runs until it is unpaused.`,
      unpause: `Unpause backfill ${b.id} of ${b.dag_id} (${range}): the scheduler starts its queued runs again, at most ${b.max_active_runs} at a time.`,
      cancel: `Cancel backfill ${b.id} of ${b.dag_id} (${range}): its queued runs are marked failed and the backfill is completed. This cannot be undone.`,
    }[i.to];
    return {
      summary,
      items: [
        ...(already ? [`It is already ${b.is_paused ? 'paused' : 'running'}: nothing will change.`] : []),
        i.to === 'cancel' ? `${plural(queued, 'queued run')} will be marked failed.` : `${plural(queued, 'run')} queued.`,
        `${plural(running, 'run')} running now: ${i.to === 'unpause' ? 'not affected' : 'they go on to the end'}.`,
      ],
      confirm: { pause: 'Pause the backfill', unpause: 'Unpause the backfill', cancel: 'Cancel the backfill' }[i.to],
      back: i.back ?? runsTab(b.dag_id),
      danger: i.to === 'cancel',
    };
  },
  apply({ store }, i, caller) {
    const b =
      i.to === 'cancel'
        ? serviceCall(() => cancelBackfill(store, i.backfill_id, caller.username))
        : serviceCall(() => setBackfillPaused(store, i.backfill_id, i.to === 'pause', caller.username));
    const done = { pause: 'paused', unpause: 'unpaused', cancel: 'cancelled' }[i.to];
    return { message: `Backfill ${b.id} of ${b.dag_id} ${done}.`, redirect: i.back ?? runsTab(b.dag_id) };
  },
});
