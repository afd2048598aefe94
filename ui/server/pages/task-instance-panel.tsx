// The panel beside the grid: a task instance (state, tries with durations - a running one's counting on - and log
// links, rendered arguments, XCom) or, with no task chosen, the run (state, type, dates, conf). Rendered with the
// page, and on its own for the script.
import type { DagRunRow } from '../../../engine/state/rows.js';
import { stillRunning, type TaskInstanceView, type Try } from './data/task-instance.js';
import { StateBadge } from './layout.js';
import { duration, inZone, secondsBetween, utc } from './format.js';
import { logHref } from './hrefs.js';
import { JsonBlock, parsedOrText } from './json-block.js';
import { RunActions } from './actions/buttons.js';

/** A button to the clear action's confirmation page (a GET: it shows what will be cleared and changes nothing). */
function ClearButton(props: { dagId: string; runId: string; taskId?: string; onlyFailed?: boolean; downstream?: boolean; label: string }) {
  return (
    <form method="get" action="/actions/clear" class="inline">
      <input type="hidden" name="dag_id" value={props.dagId} />
      <input type="hidden" name="run_id" value={props.runId} />
      {props.taskId ? <input type="hidden" name="task_id" value={props.taskId} /> : null}
      {props.onlyFailed ? <input type="hidden" name="only_failed" value="true" /> : null}
      {props.downstream ? <input type="hidden" name="downstream" value="true" /> : null}
      <button type="submit">{props.label}</button>
    </form>
  );
}

/**
 * A try's duration: final once it ended; while it runs, how long as of the render ("12 s so far") with the seconds it
 * stands for, so the script (ui/client/clock.ts) counts it on. The panel is refreshed when its task instance changes,
 * which brings the final duration.
 */
function TryDuration(props: { t: Try }) {
  const { t } = props;
  if (!stillRunning(t) || t.duration === null) return <>{duration(t.duration)}</>;
  return <span data-elapsed={t.duration.toFixed(1)}>{`${duration(t.duration)} so far`}</span>;
}

export function TaskInstancePanel(props: { v: TaskInstanceView; timezone: string; canEdit?: boolean }) {
  const { run, ti, tries, args, xcoms } = props.v;
  return (
    <aside class="panel" id="panel" aria-label="Task instance" data-ti-panel="" data-run={ti.run_id} data-task={ti.task_id}>
      <h2>{ti.task_id}</h2>
      <dl>
        <dt>State</dt>
        <dd><StateBadge state={ti.state} id="panel-state" /></dd>
        <dt>Run</dt>
        <dd class="mono">{run.run_id}</dd>
        <dt>Operator</dt>
        <dd>{ti.operator}</dd>
        <dt>Try</dt>
        <dd>{ti.try_number} of {ti.max_tries + 1}</dd>
        <dt>Pool</dt>
        <dd>{ti.pool}</dd>
      </dl>
      <h3>Tries</h3>
      {tries.length ? (
        <table class="list">
          <thead><tr><th>#</th><th>State</th><th>Started</th><th>Duration</th><th>Log</th></tr></thead>
          <tbody>
            {tries.map((t) => (
              <tr>
                <td>{t.try_number}</td>
                <td><StateBadge state={t.state} /></td>
                <td title={utc(t.start_date)}>{inZone(t.start_date, props.timezone)}</td>
                <td data-label="Duration"><TryDuration t={t} /></td>
                <td><a href={logHref(ti.dag_id, ti.run_id, ti.task_id, t.try_number)}>log</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">Not started yet.</p>
      )}
      <p>
        <a class="button" href={logHref(ti.dag_id, ti.run_id, ti.task_id, ti.try_number || undefined)}>Open the log</a>{' '}
        {props.canEdit ? <ClearButton dagId={ti.dag_id} runId={ti.run_id} taskId={ti.task_id} downstream label="Clear (with downstream)" /> : null}
      </p>
      <RunActions dagId={ti.dag_id} runId={ti.run_id} taskId={ti.task_id} canEdit={props.canEdit} />
      <h3>Arguments {args && !args.rendered ? <span class="muted">(as written)</span> : args ? <span class="muted">(rendered for this run)</span> : null}</h3>
      {args ? (
        <>
          {args.problem ? <p class="error">Could not render the templates: {args.problem}</p> : null}
          <dl>{Object.entries(args.values).flatMap(([k, v]) => [<dt class="mono">{k}</dt>, <dd><JsonBlock value={v} /></dd>])}</dl>
        </>
      ) : (
        <p class="muted">The DAG file no longer defines this task.</p>
      )}
      <h3>XCom</h3>
      {xcoms.length ? (
        <dl>{xcoms.flatMap((x) => [<dt class="mono">{x.key}</dt>, <dd><JsonBlock value={parsedOrText(x.value)} /></dd>])}</dl>
      ) : (
        <p class="muted">No XCom.</p>
      )}
    </aside>
  );
}

export function RunPanel(props: { run: DagRunRow; timezone: string; canEdit?: boolean }) {
  const r = props.run;
  return (
    <aside class="panel" id="panel" aria-label="Run">
      <h2 class="mono">{r.run_id}</h2>
      <dl>
        <dt>State</dt>
        <dd><StateBadge state={r.state} id={`panel-run-state`} /></dd>
        <dt>Type</dt>
        <dd>{r.run_type}</dd>
        <dt>Logical date</dt>
        <dd>{utc(r.logical_date)}<br /><span class="muted">{inZone(r.logical_date, props.timezone)}</span></dd>
        <dt>Data interval</dt>
        <dd>{utc(r.data_interval_start)} – {utc(r.data_interval_end)}</dd>
        <dt>Started</dt>
        <dd>{utc(r.start_date)}</dd>
        <dt>Duration</dt>
        <dd>{duration(secondsBetween(r.start_date, r.end_date))}</dd>
        <dt>Conf</dt>
        <dd><JsonBlock value={parsedOrText(r.conf)} /></dd>
        {r.note ? <><dt>Note</dt><dd>{r.note}</dd></> : null}
      </dl>
      {props.canEdit ? <p><ClearButton dagId={r.dag_id} runId={r.run_id} onlyFailed label="Clear failed tasks" /></p> : null}
      <RunActions dagId={r.dag_id} runId={r.run_id} canEdit={props.canEdit} />
    </aside>
  );
}
