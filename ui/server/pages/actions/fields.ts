// The form fields the actions share, as zod schemas over the strings a query string or a form body carries, and the
// look-ups every action starts with (the DAG as its file defines it, the run). A bad field fails at its name, so
// the page can say what is wrong beside it.
import { z } from 'zod';
import { checkName, type NameKind } from '../../../../engine/dag/names.js';
import { parseRunDate } from '../../../../engine/schedule/index.js';
import type { DagRunRow } from '../../../../engine/state/rows.js';
import type { DagSpec } from '../../../../engine/types.js';
import type { AppDeps } from '../../deps.js';
import { ActionError } from './action.js';

/** A checkbox or a switch: 'true' is on; anything absent is off. */
export const flag = z.enum(['true', 'false']).optional().transform((v) => v === 'true');

/** An optional text field: empty means not given. */
export const optionalText = z.string().optional().transform((v) => (v?.trim() ? v.trim() : undefined));

/** A name checked by the one name validator the CLI and the API use. */
export function nameText(kind: NameKind) {
  return optionalText.superRefine((v, ctx) => {
    const problem = v === undefined ? null : checkName(kind, v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** A date as a person types it or a datetime-local input sends it: ISO 8601, UTC when it has no offset. */
export const dateText = optionalText.transform((v, ctx) => {
  if (v === undefined) return undefined;
  try {
    return parseRunDate(v, 'UTC', 'the date');
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

/** A JSON object typed into a text area (empty: {}); the message says where the JSON breaks. */
export const jsonObjectText = optionalText.transform((v, ctx) => {
  if (v === undefined) return {} as Record<string, unknown>;
  let value: unknown;
  try {
    value = JSON.parse(v);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not valid JSON: ${(err as Error).message}; write an object such as {"key": "value"}` });
    return z.NEVER;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: `must be a JSON object such as {"key": "value"}, not ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}` });
    return z.NEVER;
  }
  return value as Record<string, unknown>;
});

/** The DAG as its file defines it now (the actions need its tasks and schedule), or 404. */
export async function dagSpec(deps: AppDeps, dagId: string): Promise<DagSpec> {
  const row = deps.store.dags.get(dagId);
  const dag = row && !row.has_import_errors ? await deps.dagBag?.get(dagId) : undefined;
  if (!dag) throw new ActionError(404, `DAG with dag_id: '${dagId}' is not in the DAGs folder, or its file has import errors`);
  return dag;
}

export function runOf(deps: AppDeps, dagId: string, runId: string): DagRunRow {
  const run = deps.store.runs.get(dagId, runId);
  if (!run) throw new ActionError(404, `No run ${runId} of DAG ${dagId}`);
  return run;
}

/** The DAG page with the run (and task) selected: where a run's or a task's action goes back to by default. */
export function runPage(dagId: string, runId: string, taskId?: string): string {
  const q = new URLSearchParams({ run: runId, ...(taskId ? { task: taskId } : {}) });
  return `/dags/${encodeURIComponent(dagId)}?${q}`;
}

/** Task instances in the order the DAG lists its tasks (as the grid shows them), not by name. */
export function inTaskOrder<T extends { task_id: string }>(dag: Pick<DagSpec, 'tasks'> | undefined, rows: T[]): T[] {
  if (!dag) return rows;
  const at = new Map(dag.tasks.map((t, i) => [t.taskId, i]));
  return [...rows].sort((a, b) => (at.get(a.task_id) ?? Infinity) - (at.get(b.task_id) ?? Infinity));
}
