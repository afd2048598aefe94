// Resolve `run_id_or_date` as Airflow does: a run id first, then a logical date.
import type { Store } from '../engine/state/store.js';
import type { DagRunRow } from '../engine/state/rows.js';
import { DateTime } from 'luxon';
import { UserError } from '../engine/types.js';

export function findRun(store: Store, dagId: string, ref: string): DagRunRow {
  const byId = store.runs.get(dagId, ref);
  if (byId) return byId;
  const t = Date.parse(ref);
  if (!Number.isNaN(t)) {
    const exact = store.runs.byLogicalDate(dagId, new Date(t));
    if (exact) return exact;
    // A bare date, as `dag run --date` reads it: the day in the DAG's timezone (then the UTC day), newest run first.
    if (/^\d{4}-\d{2}-\d{2}$/.test(ref)) {
      const zone = store.dags.get(dagId)?.timezone ?? 'UTC';
      const runs = store.runs.list({ dagId });
      const hit = runs.find((r) => DateTime.fromISO(r.logical_date, { zone }).toISODate() === ref) ?? runs.find((r) => r.logical_date.startsWith(ref));
      if (hit) return hit;
    }
  }
  throw new UserError(`no run '${ref}' for DAG '${dagId}': list them with dag list-runs ${dagId}`);
}
