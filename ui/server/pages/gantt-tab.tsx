// The Gantt tab: the selected run's attempts on a time axis, one row per task (every try of it: retries show as
// several bars), drawn on the server as SVG (attributes, no inline style). `#gantt` carries the run it shows, so the
// script re-fetches it when a task instance of that run changes (a try starts, finishes or is retried).
import type { Try } from './data/task-instance.js';
import { stateClass, stateLabel } from './states.js';
import { duration, utc } from './format.js';

export interface GanttRow {
  taskId: string;
  tries: (Try & { queued?: string | null })[];
}

const ROW = 22;
const LABEL = 200;
const WIDTH = 900;

export function GanttTab(props: { runId: string | null; rows: GanttRow[] }) {
  return <div id="gantt" data-run={props.runId ?? ''}><GanttChart {...props} /></div>;
}

function GanttChart(props: { runId: string | null; rows: GanttRow[] }) {
  const bars = props.rows.flatMap((r) => r.tries.filter((t) => t.start_date).map((t) => ({ r, t })));
  if (!props.runId || !bars.length) return <p class="muted">No attempts to show{props.runId ? ` in run ${props.runId}` : ''} yet.</p>;
  const t0 = Math.min(...bars.map(({ t }) => Date.parse(t.start_date!)));
  const t1 = Math.max(...bars.map(({ t }) => (t.end_date ? Date.parse(t.end_date) : Date.now())), t0 + 1000);
  const x = (iso: string | null) => LABEL + ((iso ? Date.parse(iso) : Date.now()) - t0) / (t1 - t0) * (WIDTH - LABEL - 10);
  return (
    <div class="card gantt">
      <p class="muted">Run {props.runId}: {utc(new Date(t0).toISOString())} to {utc(new Date(t1).toISOString())} ({duration((t1 - t0) / 1000)})</p>
      <svg width={WIDTH} height={props.rows.length * ROW + 10} viewBox={`0 0 ${WIDTH} ${props.rows.length * ROW + 10}`} role="img" aria-label={`Gantt chart of run ${props.runId}`}>
        {props.rows.map((r, i) => (
          <g>
            <text x="4" y={i * ROW + 15}>{r.taskId}</text>
            {r.tries.filter((t) => t.start_date).map((t) => {
              const a = x(t.start_date);
              const w = Math.max(2, x(t.end_date) - a);
              return (
                <rect class={stateClass(t.state)} x={a.toFixed(1)} y={i * ROW + 4} width={w.toFixed(1)} height={ROW - 8} rx="2">
                  <title>{`${r.taskId} try ${t.try_number}: ${stateLabel(t.state)}, ${duration(t.duration)}`}</title>
                </rect>
              );
            })}
          </g>
        ))}
      </svg>
    </div>
  );
}
