// The buttons that open an action's page (a GET: the form or the confirmation, which change nothing), for the pages
// to place: a DAG's trigger and backfill, a run's and a task instance's mark and delete. Nothing for a viewer.
// Where the user was is read from the Referer when the page opens, so each goes back there afterwards.
import { h, type Html } from '../html.js';

/** A button that opens an action's page, built as a string (see html.ts): the DAG list has one per DAG. */
export function actionButton(action: string, fields: Record<string, string | undefined>, label: string, title?: string): Html {
  const inputs = Object.entries(fields).map(([k, v]) => (v === undefined ? null : h`<input type="hidden" name="${k}" value="${v}"/>`));
  return h`<form method="get" action="/actions/${action}" class="inline">${inputs}<button type="submit"${title === undefined ? null : h` title="${title}"`}>${label}</button></form>`;
}

export function ActionButton(props: { action: string; fields: Record<string, string | undefined>; label: string; title?: string }) {
  return actionButton(props.action, props.fields, props.label, props.title);
}

/** A DAG's trigger and (when it has a schedule) backfill buttons; nothing for a viewer. */
export function dagActions(dagId: string, canEdit: boolean, backfill = true): Html | null {
  if (!canEdit) return null;
  return h`<span class="actions" data-actions-of="${dagId}">${actionButton('trigger', { dag_id: dagId }, '▶ Trigger', `Trigger a run of ${dagId}`)}${backfill ? actionButton('backfill', { dag_id: dagId }, 'Backfill', `Start a backfill of ${dagId}`) : null}</span>`;
}

export function DagActions(props: { dagId: string; canEdit: boolean; backfill?: boolean }) {
  return dagActions(props.dagId, props.canEdit, props.backfill !== false);
}

/** Mark success / failed for a run (no task) or a task instance; delete for a run. */
export function RunActions(props: { dagId: string; runId: string; taskId?: string; canEdit?: boolean }) {
  if (!props.canEdit) return null;
  const at = { dag_id: props.dagId, run_id: props.runId, task_id: props.taskId };
  return (
    // A div, not a p: a form inside a p would close it (HTML's parser), leaving the buttons outside.
    <div class="actions">
      <ActionButton action="mark" fields={{ ...at, state: 'success' }} label="✓ Mark success" />
      <ActionButton action="mark" fields={{ ...at, state: 'failed' }} label="✗ Mark failed" />
      {props.taskId ? null : <ActionButton action="delete-run" fields={{ dag_id: props.dagId, run_id: props.runId }} label="Delete run" />}
    </div>
  );
}
