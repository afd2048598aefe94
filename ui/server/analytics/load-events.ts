// "The warehouse has new data": after each successful warehouse.load_star, /api/windsock/events also sends an
// `event: warehouse` message, so an open dashboard can offer to reload. Derived from the task_instance change the
// engine already writes when the attempt succeeds (same id, so a resumed stream replays it too).
import type { Change } from '../../../engine/state/changes.js';
import type { Store } from '../../../engine/state/store.js';

export const LOAD_STAR_OPERATOR = 'warehouse.load_star';

/** Pure: the SSE message for a change, when it is a load_star attempt that succeeded. */
export function warehouseLoadedMessage(ch: Change, operatorOf: (ch: Change) => string | null | undefined): string | undefined {
  if (ch.kind !== 'task_instance' || ch.state !== 'success' || !ch.dag_id || !ch.run_id || !ch.task_id) return undefined;
  if (operatorOf(ch) !== LOAD_STAR_OPERATOR) return undefined;
  const data = { dag_id: ch.dag_id, run_id: ch.run_id, task_id: ch.task_id, at: ch.at };
  return `id: ${ch.id}\nevent: warehouse\ndata: ${JSON.stringify(data)}\n\n`;
}

/** warehouseLoadedMessage with the operator read from the task instance in the store. */
export function warehouseEvents(store: Store): (ch: Change) => string | undefined {
  return (ch) => warehouseLoadedMessage(ch, (c) => store.tis.get({ dagId: c.dag_id!, runId: c.run_id!, taskId: c.task_id! })?.operator);
}
