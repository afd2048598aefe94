// The buttons that open an action's page (a GET: the form or the confirmation, which change nothing), for the pages
// to place: a DAG's trigger and backfill, a run's and a task instance's mark and delete. Nothing for a viewer.
// Where the user was is read from the Referer when the page opens, so each goes back there afterwards.
export function ActionButton(props: { action: string; fields: Record<string, string | undefined>; label: string; title?: string }) {
  return (
    <form method="get" action={`/actions/${props.action}`} class="inline">
      {Object.entries(props.fields).map(([k, v]) => (v === undefined ? null : <input type="hidden" name={k} value={v} />))}
      <button type="submit" title={props.title}>{props.label}</button>
    </form>
  );
}

export function DagActions(props: { dagId: string; canEdit: boolean; backfill?: boolean }) {
  if (!props.canEdit) return null;
  return (
    <span class="actions" data-actions-of={props.dagId}>
      <ActionButton action="trigger" fields={{ dag_id: props.dagId }} label="▶ Trigger" title={`Trigger a run of ${props.dagId}`} />
      {props.backfill === false ? null : <ActionButton action="backfill" fields={{ dag_id: props.dagId }} label="Backfill" title={`Start a backfill of ${props.dagId}`} />}
    </span>
  );
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
