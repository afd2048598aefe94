// A table of runs (a DAG's Runs tab, and Browse > Runs across DAGs): state, type, logical date in UTC and in the
// DAG's time zone, data interval, duration, conf; filtered by state and type. A running run's duration is the time
// it has run as of the render ("12 s so far"), with the seconds it stands for, so the script (ui/client/clock.ts)
// counts it on; the region is refreshed when the run's state moves, which brings its final duration.
import type { DagRunRow } from '../../../engine/state/rows.js';
import { StateBadge } from './layout.js';
import { duration, inZone, secondsBetween, utc } from './format.js';
import { dagHref, runHref } from './hrefs.js';

export const RUN_STATES = ['queued', 'running', 'success', 'failed'] as const;
export const RUN_TYPES = ['scheduled', 'manual', 'backfill'] as const;

export function RunFilters(props: { action: string; state?: string; type?: string; dagQuery?: string }) {
  return (
    <form class="filters" method="get" action={props.action}>
      {props.dagQuery !== undefined ? <label>DAG id<input type="search" name="dag" value={props.dagQuery} /></label> : null}
      <label>
        State
        <select name="state">
          <option value="">any</option>
          {RUN_STATES.map((s) => <option value={s} selected={s === props.state}>{s}</option>)}
        </select>
      </label>
      <label>
        Type
        <select name="type">
          <option value="">any</option>
          {RUN_TYPES.map((s) => <option value={s} selected={s === props.type}>{s}</option>)}
        </select>
      </label>
      <button type="submit">Filter</button>
    </form>
  );
}

/** A run's duration: final once it ended, counting (its id, so the script can stop it) while it runs. */
function RunDuration(props: { run: DagRunRow; now?: number }) {
  const r = props.run;
  const sec = secondsBetween(r.start_date, r.end_date, props.now);
  if (r.state !== 'running' || r.end_date || sec === null) return <>{duration(sec)}</>;
  return <span id={`rd:${r.dag_id}:${r.run_id}`} data-elapsed={sec.toFixed(1)}>{`${duration(sec)} so far`}</span>;
}

export function RunsTable(props: { runs: (DagRunRow & { timezone?: string | null })[]; timezone?: string | null; showDag?: boolean; now?: number }) {
  return (
    <table class="list responsive">
      <thead>
        <tr>
          {props.showDag ? <th>DAG</th> : null}
          <th>Run</th><th>State</th><th>Type</th><th>Logical date</th><th>Data interval</th><th>Duration</th><th>Conf</th>
        </tr>
      </thead>
      <tbody>
        {props.runs.map((r) => {
          const tz = r.timezone ?? props.timezone;
          return (
            <tr>
              {props.showDag ? <td data-label="DAG"><a href={dagHref(r.dag_id)}>{r.dag_id}</a></td> : null}
              <td data-label="Run" class="mono"><a href={runHref(r.dag_id, r.run_id)}>{r.run_id}</a></td>
              <td data-label="State"><StateBadge state={r.state} id={`rs:${r.dag_id}:${r.run_id}`} /></td>
              <td data-label="Type">{r.run_type}</td>
              <td data-label="Logical date">{utc(r.logical_date)}<br /><span class="muted">{inZone(r.logical_date, tz)}</span></td>
              <td data-label="Data interval">{utc(r.data_interval_start)} – {utc(r.data_interval_end)}</td>
              <td data-label="Duration"><RunDuration run={r} now={props.now} /></td>
              <td data-label="Conf" class="mono">{r.conf === '{}' ? '' : r.conf}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
