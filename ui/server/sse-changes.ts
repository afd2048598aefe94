// One loop for every Server-Sent Events stream fed by the change feed: subscribe, queue what the stream wants, write
// it when the client can take it, a `: ping` comment on a quiet stream so proxies keep it open, and unsubscribe when
// the client goes, the feed closes, or a client too slow to keep up overflows its queue (it resumes with
// Last-Event-ID).
import type { SSEStreamingApi } from 'hono/streaming';
import type { Change } from '../../engine/state/changes.js';
import type { ChangeFeed, Subscription } from './change-feed.js';

export interface ChangeStreamOptions {
  /** Resume after this change id (Last-Event-ID); undefined starts from now. */
  after?: number;
  heartbeatMs: number;
  /** Queued changes beyond which the client is dropped (default: no limit). */
  maxQueue?: number;
  /** Which changes this stream sends. */
  wanted: (ch: Change) => boolean;
  /** The first bytes, written as soon as the subscription exists (and any backlog message). */
  preamble: (sub: Subscription) => string;
  /** The text for a batch of wanted changes, written in one go. */
  format: (changes: Change[]) => string;
}

export async function streamChanges(stream: SSEStreamingApi, feed: ChangeFeed, o: ChangeStreamOptions): Promise<void> {
  const maxQueue = o.maxQueue ?? Infinity;
  const queue: Change[] = [];
  let overflow = false;
  let feedClosed = false;
  let pingDue = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const sub = feed.subscribe(
    {
      onChanges(changes) {
        for (const ch of changes) if (o.wanted(ch)) queue.push(ch);
        overflow ||= queue.length > maxQueue;
        notify();
      },
      onClose() {
        feedClosed = true;
        notify();
      },
    },
    o.after,
  );
  const heartbeat = setInterval(() => {
    pingDue = true;
    notify();
  }, o.heartbeatMs);
  stream.onAbort(notify);
  try {
    // The first bytes go out at once, so the client knows it is subscribed before any change happens.
    await stream.write(o.preamble(sub));
    queue.unshift(...sub.backlog.changes.filter(o.wanted));
    while (!stream.aborted && !stream.closed && !overflow && !feedClosed) {
      if (queue.length) {
        await stream.write(o.format(queue.splice(0)));
      } else if (pingDue) {
        pingDue = false;
        await stream.write(': ping\n\n');
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
      }
    }
  } finally {
    sub.unsubscribe();
    clearInterval(heartbeat);
  }
}
