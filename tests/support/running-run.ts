// A run caught while it runs, with times in the past: the page tests read what a page says about a running run
// ("30 s so far") and watch it count on, which needs a start some seconds before the page is opened. The times are
// given through the store's own calls (they take the time they record), so the change table sees what the run
// loop's calls would write.
import type { Store } from '../../engine/state/store.js';

const ago = (s: number) => new Date(Date.now() - s * 1000);

/** The run `runId` of `dagId` moved to running `startedAgo` seconds ago (its start date then). */
export function runSince(store: Store, dagId: string, runId: string, startedAgo: number): void {
  store.tx(() => store.runs.setState(dagId, runId, 'running', ago(startedAgo)));
}

/** A try of `taskId` started `startedAgo` seconds ago, and ended `endedAgo` seconds ago in `state` unless it still runs. */
export function trySince(store: Store, k: { dagId: string; runId: string; taskId: string }, startedAgo: number, end?: { endedAgo: number; state: 'success' | 'failed' | 'up_for_retry' }): void {
  store.tx(() => {
    store.tis.queue(k, null);
    store.tis.start(k, { hostname: 'test', pid: process.pid, jobId: null }, ago(startedAgo));
    if (end) store.tis.finish(k, end.state, ago(end.endedAgo));
  });
}
