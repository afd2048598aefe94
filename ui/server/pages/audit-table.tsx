// The audit log (the `log` table): who did what, newest first; a DAG's Audit log tab and Browse > Audit log.
import type { EventLogRow } from '../../../engine/state/rows.js';
import { utc } from './format.js';
import { dagHref } from './hrefs.js';

export function AuditTable(props: { rows: EventLogRow[]; showDag?: boolean }) {
  if (!props.rows.length) return <p class="muted">Nothing recorded yet.</p>;
  return (
    <table class="list responsive">
      <thead>
        <tr><th>When</th>{props.showDag ? <th>DAG</th> : null}<th>Event</th><th>Run</th><th>Task</th><th>Try</th><th>Who</th><th>Extra</th></tr>
      </thead>
      <tbody>
        {props.rows.map((e) => (
          <tr>
            <td data-label="When">{utc(e.dttm)}</td>
            {props.showDag ? <td data-label="DAG">{e.dag_id ? <a href={dagHref(e.dag_id)}>{e.dag_id}</a> : ''}</td> : null}
            <td data-label="Event">{e.event}</td>
            <td data-label="Run" class="mono">{e.run_id}</td>
            <td data-label="Task">{e.task_id}</td>
            <td data-label="Try">{e.try_number ?? ''}</td>
            <td data-label="Who">{e.owner}</td>
            <td data-label="Extra" class="mono">{e.extra ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
