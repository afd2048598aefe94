// The Gantt tab: the selected run's attempts on a time axis, one row per task (every try of it: retries show as
// several bars), drawn on the server: a list of tasks, each its name and an SVG track of its bars (attributes, no
// inline style). The stylesheet puts the name beside the track on a wide screen and above it on a phone, and stretches
// the track to the width there is, so the whole run, up to what runs now, is in view without scrolling sideways, with
// or without script. `#gantt` carries the run it shows, so the script re-fetches it when a task instance of that run
// changes (a try starts, finishes or is retried).
// A try still running is drawn up to the time of the render, which the chart says ("running, 12 s so far"); the axis
// ends then, as Airflow's Gantt ends a pending run's axis at now (airflow-core/src/airflow/ui/src/layouts/Details/Gantt/
// utils.ts). Each bar carries its times (ms after the chart's start), so the script (ui/client/clock.ts) extends the
// running bars and the axis with the clock between two changes.
import { stillRunning, type Try } from './data/task-instance.js';
import { stateClass, stateLabel } from './states.js';
import { duration, utc } from './format.js';
import { GANTT, ganttBar } from './gantt-scale.js';

export interface GanttRow {
  taskId: string;
  tries: (Try & { queued?: string | null })[];
}

export function GanttTab(props: { runId: string | null; rows: GanttRow[]; now?: number }) {
  return <div id="gantt" data-run={props.runId ?? ''}><GanttChart {...props} /></div>;
}

function GanttChart(props: { runId: string | null; rows: GanttRow[]; now?: number }) {
  const now = props.now ?? Date.now();
  const bars = props.rows.flatMap((r) => r.tries.filter((t) => t.start_date).map((t) => ({ r, t })));
  if (!props.runId || !bars.length) return <p class="muted">No attempts to show{props.runId ? ` in run ${props.runId}` : ''} yet.</p>;
  const t0 = Math.min(...bars.map(({ t }) => Date.parse(t.start_date!)));
  const at = (iso: string | null) => (iso ? Date.parse(iso) : now) - t0;
  const span = Math.max(...bars.map(({ t }) => at(t.end_date)), 1000);
  const running = bars.some(({ t }) => stillRunning(t));
  return (
    <div class="card gantt">
      <p class="muted">
        Run {props.runId}: {utc(new Date(t0).toISOString())} to{' '}
        {running ? (
          <>now (<span data-gantt-total>{`${duration(span / 1000)} so far, as of ${new Date(now).toISOString().slice(11, 19)} UTC`}</span>)</>
        ) : (
          `${utc(new Date(t0 + span).toISOString())} (${duration(span / 1000)})`
        )}
      </p>
      <ol class="gantt-rows" aria-label={`Gantt chart of run ${props.runId}`} data-now={running ? String(at(null)) : undefined}>
        {props.rows.map((r) => (
          <li>
            <span class="gantt-task" title={r.taskId}>{r.taskId}</span>
            <svg class="gantt-track" width="100%" height={GANTT.bar} viewBox={`0 0 ${GANTT.track} ${GANTT.bar}`} preserveAspectRatio="none">
              {r.tries.filter((t) => t.start_date).map((t) => {
                const from = at(t.start_date);
                const grows = stillRunning(t);
                const to = at(t.end_date);
                const { x, width } = ganttBar(from, to, span);
                const took = grows ? `${duration((to - from) / 1000)} so far` : duration(t.duration);
                return (
                  <rect class={stateClass(t.state)} x={x.toFixed(1)} y="0" width={width.toFixed(1)} height={GANTT.bar}
                    data-from={String(from)} data-to={grows ? undefined : String(to)}>
                    <title>{`${r.taskId} try ${t.try_number}: ${stateLabel(t.state)}, ${took}`}</title>
                  </rect>
                );
              })}
            </svg>
          </li>
        ))}
      </ol>
    </div>
  );
}
