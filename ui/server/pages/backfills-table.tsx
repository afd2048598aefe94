// A DAG's backfills on its Runs tab: range, state, its runs by state, max active runs, who started it; for a user,
// Pause / Unpause and Cancel (each a GET of its confirmation page; the POST there carries the CSRF token). The table
// is refreshed in place by the script when runs of the DAG come, go or finish.
import type { BackfillView } from './data/backfills.js';
import { backfillStatus } from './data/backfills.js';
import { ActionButton } from './actions/buttons.js';
import { utc } from './format.js';

const RUN_STATES = ['queued', 'running', 'success', 'failed'] as const;

export function BackfillsTable(props: { dagId: string; backfills: BackfillView[]; canEdit: boolean }) {
  const back = `/dags/${encodeURIComponent(props.dagId)}/runs`;
  return (
    <section class="card" id="backfills" aria-labelledby="backfills-title">
      <h2 id="backfills-title">Backfills</h2>
      {props.backfills.length === 0 ? (
        <p class="muted">No backfill of this DAG yet.</p>
      ) : (
        <table class="list responsive">
          <thead>
            <tr><th>Id</th><th>Logical dates</th><th>State</th><th>Runs</th><th>Max active runs</th><th>Started by</th>{props.canEdit ? <th>Actions</th> : null}</tr>
          </thead>
          <tbody>
            {props.backfills.map((b) => {
              const status = backfillStatus(b);
              const at = { backfill_id: String(b.id), back };
              return (
                <tr data-backfill={String(b.id)} data-status={status}>
                  <td data-label="Id" class="mono">{b.id}</td>
                  <td data-label="Logical dates">{utc(b.from_date)} – {utc(b.to_date)}</td>
                  <td data-label="State"><span class={`backfill-${status}`}>{status}</span>{b.completed_at ? <span class="muted"> {utc(b.completed_at)}</span> : null}</td>
                  <td data-label="Runs">{RUN_STATES.filter((s) => b.runs[s]).map((s) => `${b.runs[s]} ${s}`).join(', ') || <span class="muted">none</span>}</td>
                  <td data-label="Max active runs">{b.max_active_runs}</td>
                  <td data-label="Started by">{b.triggering_user_name ?? ''}</td>
                  {props.canEdit ? (
                    <td data-label="Actions">
                      {status === 'completed' ? null : (
                        <span class="actions">
                          {status === 'paused'
                            ? <ActionButton action="backfill-state" fields={{ ...at, to: 'unpause' }} label="▶ Unpause" title={`Unpause backfill ${b.id}`} />
                            : <ActionButton action="backfill-state" fields={{ ...at, to: 'pause' }} label="Pause" title={`Pause backfill ${b.id}`} />}
                          <ActionButton action="backfill-state" fields={{ ...at, to: 'cancel' }} label="✕ Cancel" title={`Cancel backfill ${b.id}`} />
                        </span>
                      )}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
