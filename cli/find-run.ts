// Resolve `run_id_or_date` as Airflow does: a run id first, then a logical date. Dates read as `dag run --date` reads
// them: without an offset, in the DAG's timezone; a bare date also finds the run whose logical date is on that day.
import type { Store } from '../engine/state/store.js';
import type { DagRunRow } from '../engine/state/rows.js';
import { UserError } from '../engine/types.js';
import { parseRunDate } from '../engine/schedule/run-date.js';
import { checkName, requireName } from '../engine/dag/names.js';

export function findRun(store: Store, dagId: string, ref: string): DagRunRow {
  requireName('DAG id', dagId);
  const idProblem = checkName('run id', ref);
  const byId = idProblem ? undefined : store.runs.get(dagId, ref);
  if (byId) return byId;
  const zone = store.dags.get(dagId)?.timezone ?? 'UTC';
  const at = tryParse(ref, zone);
  if (!at && idProblem) throw new UserError(`${idProblem}, and it is not a date either: pass a run id (see dag list-runs ${dagId}) or a logical date`);
  const exact = at && store.runs.byLogicalDate(dagId, at);
  if (exact) return exact;
  if (at && /^\d{4}-\d{2}-\d{2}$/.test(ref)) {
    const next = new Date(Date.parse(`${ref}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const end = parseRunDate(next, zone).toISOString();
    const hit = store.runs.list({ dagId }).find((r) => r.logical_date >= at.toISOString() && r.logical_date < end);
    if (hit) return hit;
  }
  throw new UserError(`no run '${ref}' for DAG '${dagId}': list them with dag list-runs ${dagId}`);
}

function tryParse(ref: string, zone: string): Date | undefined {
  try {
    return parseRunDate(ref, zone);
  } catch {
    return undefined;
  }
}
