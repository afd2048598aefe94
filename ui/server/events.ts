// `GET /api/windsock/events`: the change feed as Server-Sent Events (https://html.spec.whatwg.org/multipage/server-sent-events.html).
// Each event is one row of the `change` table: `event:` its kind (dag, dag_run, task_instance, import_error, pool, backfill,
// variable: its key only, to op and admin users, who may see the variables; user: to admins only),
// `id:` its change id, `data:` the change as JSON. A client that reconnects with `Last-Event-ID` (or
// `?last_event_id=`, for a page that loads with a known id) gets what it missed from the table, then live changes.
// The route assumes the request was authenticated by the app's middleware.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Change } from '../../engine/state/changes.js';
import { roleAtLeast } from '../../engine/service/users.js';
import type { AuthEnv } from './auth/middleware.js';
import type { ChangeFeed } from './change-feed.js';
import { streamChanges } from './sse-changes.js';

export const EVENTS_PATH = '/api/windsock/events';

export interface EventsRouteOptions {
  /** Interval of the `: ping` comment that keeps proxies from closing an idle stream (default 15 s). */
  heartbeatMs?: number;
  /** Changes queued for a client that reads too slowly before it is disconnected to resume later (default 10,000). */
  maxQueue?: number;
  /** The reconnection delay the client is told to use (default 1 s). */
  retryMs?: number;
  /** More messages derived from a change, sent right after it (the dashboard's `warehouse` event). */
  derive?: (ch: Change) => string | undefined;
}

/** Pure: a Last-Event-ID value as a change id, undefined when absent, null when it is not one. */
export function parseLastEventId(raw: string | undefined): number | undefined | null {
  if (raw === undefined || raw.trim() === '') return undefined;
  return /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : null;
}

/** Pure: one change as an SSE message. */
export function sseMessage(ch: Change): string {
  return `id: ${ch.id}\nevent: ${ch.kind}\ndata: ${JSON.stringify(ch)}\n\n`;
}

// The feed hands every subscriber the same change objects: format each once, not once per client.
const formatted = new WeakMap<Change, string>();
function message(ch: Change, derive?: (ch: Change) => string | undefined): string {
  let text = formatted.get(ch);
  if (text === undefined) formatted.set(ch, (text = sseMessage(ch) + (derive?.(ch) ?? '')));
  return text;
}

export function eventsRoute(feed: ChangeFeed, opts: EventsRouteOptions = {}): Hono<AuthEnv> {
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const maxQueue = opts.maxQueue ?? 10_000;
  const app = new Hono<AuthEnv>();

  app.get(EVENTS_PATH, (c) => {
    const after = parseLastEventId(c.req.header('Last-Event-ID') ?? c.req.query('last_event_id'));
    if (after === null) {
      return c.json({ detail: 'Last-Event-ID must be the id of an event from this stream (a non-negative integer): reconnect without it to start from now' }, 400);
    }
    if (feed.closed) return c.json({ detail: 'The server is stopping: reconnect in a moment' }, 503);
    const dagIds = c.req.queries('dag_id');
    // Variables are shown to op and admin users only (Airflow's viewer and user roles cannot list them), users to
    // admins only. (No caller: the route mounted without the app's auth, as the feed's own tests do.)
    const role = (c.get('caller') as AuthEnv['Variables']['caller'] | undefined)?.role;
    const hidden = new Set<string>([...(role && roleAtLeast(role, 'op') ? [] : ['variable']), ...(role === 'admin' ? [] : ['user'])]);
    const mayKnow = (ch: Change) => !hidden.has(ch.kind);
    const wanted = dagIds?.length ? (ch: Change) => ch.dag_id !== null && dagIds.includes(ch.dag_id) : mayKnow;

    return streamSSE(c, (stream) =>
      streamChanges(stream, feed, {
        after,
        heartbeatMs,
        maxQueue,
        wanted,
        preamble: (sub) =>
          `retry: ${opts.retryMs ?? 1000}\n: connected after ${sub.cursor}\n\n` +
          // What it missed is no longer in the table: the client reloads its state, then follows from here.
          (sub.backlog.resync ? `id: ${sub.cursor}\nevent: resync\ndata: ${JSON.stringify({ latest_id: sub.cursor })}\n\n` : ''),
        format: (changes) => changes.map((ch) => message(ch, opts.derive)).join(''),
      }),
    );
  });
  return app;
}
