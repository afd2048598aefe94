// "The warehouse has new data": after each successful warehouse.load_star, whichever process ran it. The engine writes
// the attempt's success to the state database's `change` table (a trigger, in the same transaction), and the web
// server's change feed reads that table, so a load_star run by `dag run` or a scheduler in another process is seen
// as surely as one run in this process. Two ways out:
//  - /api/windsock/events (a signed-in user's stream of every change) also sends `event: warehouse` after it;
//  - GET /api/analytics/events, behind the dashboard's own access rule (public when the dashboard is published), sends
//    only `event: warehouse` with the time of the load: an open dashboard offers to reload, and nothing about DAGs or
//    runs leaks from a published dashboard.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Change } from '../../../engine/state/changes.js';
import type { Store } from '../../../engine/state/store.js';
import type { AuthEnv } from '../auth/middleware.js';
import type { ChangeFeed } from '../change-feed.js';
import { ApiError } from '../errors.js';
import { streamChanges } from '../sse-changes.js';

export const LOAD_STAR_OPERATOR = 'warehouse.load_star';
export const WAREHOUSE_EVENTS_PATH = '/api/analytics/events';

export interface WarehouseLoaded {
  dag_id: string;
  run_id: string;
  task_id: string;
  at: string;
}

/** Pure: the load a change records, when it is a load_star attempt that succeeded. */
export function warehouseLoaded(ch: Change, operatorOf: (ch: Change) => string | null | undefined): WarehouseLoaded | undefined {
  if (ch.kind !== 'task_instance' || ch.state !== 'success' || !ch.dag_id || !ch.run_id || !ch.task_id) return undefined;
  if (operatorOf(ch) !== LOAD_STAR_OPERATOR) return undefined;
  return { dag_id: ch.dag_id, run_id: ch.run_id, task_id: ch.task_id, at: ch.at };
}

/** Pure: the SSE message for a change, when it is a load_star attempt that succeeded. */
export function warehouseLoadedMessage(ch: Change, operatorOf: (ch: Change) => string | null | undefined): string | undefined {
  const data = warehouseLoaded(ch, operatorOf);
  return data && `id: ${ch.id}\nevent: warehouse\ndata: ${JSON.stringify(data)}\n\n`;
}

const operatorIn = (store: Store) => (c: Change) => store.tis.get({ dagId: c.dag_id!, runId: c.run_id!, taskId: c.task_id! })?.operator;

/** warehouseLoadedMessage with the operator read from the task instance in the store. */
export function warehouseEvents(store: Store): (ch: Change) => string | undefined {
  const operatorOf = operatorIn(store);
  return (ch) => warehouseLoadedMessage(ch, operatorOf);
}

/** GET /api/analytics/events: `event: warehouse` with `{"at": ...}` after each load (the caller's access is checked before). */
export function warehouseEventsRoute(feed: ChangeFeed, store: Store, heartbeatMs = 15_000): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const operatorOf = operatorIn(store);
  app.get(WAREHOUSE_EVENTS_PATH, (c) => {
    if (feed.closed) throw new ApiError(503, 'The server is stopping: reconnect in a moment');
    return streamSSE(c, (stream) =>
      streamChanges(stream, feed, {
        heartbeatMs,
        wanted: (ch) => warehouseLoaded(ch, operatorOf) !== undefined,
        preamble: () => 'retry: 5000\n: connected\n\n',
        // Several loads at once are one notice: the dashboard reloads once, to the latest.
        format: (loads) => `event: warehouse\ndata: ${JSON.stringify({ at: loads[loads.length - 1].at })}\n\n`,
      }),
    );
  });
  return app;
}
