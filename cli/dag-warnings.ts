// DAG warnings (the dag_warning table) for people: one line each, and for the scheduler's log only when they change.
import type { Store } from '../engine/state/store.js';
import type { DagWarning } from '../engine/state/dag-warnings.js';

export function formatDagWarning(w: DagWarning): string {
  return `warning: ${w.message}`; // the message names the DAG
}

/** A check to call now and then: says each warning that appeared, and each one that went away, once. */
export function dagWarningWatcher(store: Store, say: (m: string) => void): () => void {
  let seen = new Map<string, string>();
  return () => {
    const now = new Map(store.dagWarnings.list().map((w) => [`${w.dag_id}\0${w.warning_type}`, formatDagWarning(w)]));
    for (const [k, line] of now) if (seen.get(k) !== line) say(line);
    for (const [k] of seen) {
      if (!now.has(k)) {
        const [dagId, type] = k.split('\0');
        say(`DAG ${dagId}: the ${type} warning is resolved`);
      }
    }
    seen = now;
  };
}
