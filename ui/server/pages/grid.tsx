// The grid: runs as columns (oldest left, as Airflow 3 draws them) with a duration bar each, tasks as rows, task
// groups as a summary row that collapses its members; each cell is a link (keyboard-focusable, arrow keys move
// between cells via the script) coloured by state, with the state's symbol and a title.
// The rows are written as strings, not JSX nodes: at 25 runs x 500 tasks that is 12,500 cells, and building a node
// tree for each cost ten times the render. Every value goes through escapeHtml. The run of a column is on its header
// (data-run) and the task of a row on the row (data-task), so a cell carries only its state and its link.
import { raw } from 'hono/html';
import type { Grid, GridCell } from './data/grid.js';
import { STATE_SYMBOLS, groupState, stateClass, stateLabel, stateSymbol } from './states.js';
import { escapeToBuffer } from 'hono/utils/html';
import { duration, secondsBetween, utc } from './format.js';
import { dagHref, runHref } from './hrefs.js';

const BAR_HEIGHT = 60;

/** Text escaped for HTML by hono's own escaper (the one its JSX uses), for the cells built as strings. */
function escapeHtml(s: string): string {
  const buffer: [string] = [''];
  escapeToBuffer(s, buffer);
  return buffer[0];
}

/** The opening of a cell's link per state (`null` is 'none'), and its symbol: looked up, not built, per cell. */
const CELL_OPEN = new Map<string | null, string>();
const CELL_SYMBOL = new Map<string | null, string>();
const LABEL = new Map<string | null, string>();
for (const s of [null, ...Object.keys(STATE_SYMBOLS)]) {
  CELL_OPEN.set(s, `<td><a class="cell ${stateClass(s)}" href="`);
  CELL_SYMBOL.set(s, stateSymbol(s));
  LABEL.set(s, stateLabel(s));
}
const cellOpen = (s: string | null) => CELL_OPEN.get(s) ?? CELL_OPEN.get(null)!;
const EMPTY_CELL_OPEN = cellOpen(null);

/** A cell's title: state, try, duration (only digits, letters, spaces and commas: nothing to escape, unless the state is unknown). */
function cellTitle(c: GridCell): string {
  const label = LABEL.get(c.state) ?? escapeHtml(stateLabel(c.state));
  return `${label}${c.try_number ? `, try ${c.try_number}` : ''}${c.duration != null ? `, ${duration(c.duration)}` : ''}`;
}

function bodyHtml(grid: Grid, selectedRun?: string, selectedTask?: string): string {
  const n = grid.runs.length;
  const groups = new Map<string, string[]>();
  for (const r of grid.rows) if (r.group) groups.set(r.group, [...(groups.get(r.group) ?? []), r.taskId]);
  // Per column, once: the run's query string, escaped for the attribute.
  const runQ = grid.runs.map((r) => escapeHtml(`?run=${encodeURIComponent(r.run_id)}`));
  const selectedCol = selectedTask ? grid.runs.findIndex((r) => r.run_id === selectedRun) : -1;
  const none: (GridCell | undefined)[] = [];
  const emitted = new Set<string>();
  const out: string[] = [];
  for (const row of grid.rows) {
    if (row.group && !emitted.has(row.group)) {
      emitted.add(row.group);
      const members = groups.get(row.group)!.map((t) => grid.cells.get(t) ?? none);
      const g = escapeHtml(row.group);
      out.push(`<tr class="group" data-group-row="${g}"><th class="task" scope="row"><button type="button" class="group-toggle" data-group-toggle="${g}" aria-expanded="true" title="Collapse or expand the group">▾</button>${g} <span class="muted">(${members.length})</span></th>`);
      for (let i = 0; i < n; i++) {
        const s = groupState(members.map((m) => m[i]?.state ?? null));
        out.push(`${cellOpen(s)}${runQ[i]}" title="group ${g}: ${LABEL.get(s) ?? escapeHtml(stateLabel(s))}">${CELL_SYMBOL.get(s) ?? ''}</a></td>`);
      }
      out.push('</tr>');
    }
    const label = row.group ? row.taskId.slice(row.group.length + 1) || row.taskId : row.taskId;
    out.push(`<tr data-task="${escapeHtml(row.taskId)}"${row.group ? ` data-group="${escapeHtml(row.group)}"` : ''}><th class="task${row.group ? ' in-group' : ''}" scope="row" title="${escapeHtml(row.operator ?? '')}">${escapeHtml(label)}</th>`);
    const taskQ = escapeHtml(`&task=${encodeURIComponent(row.taskId)}`);
    const cells = grid.cells.get(row.taskId) ?? none;
    const selected = row.taskId === selectedTask ? selectedCol : -1;
    for (let i = 0; i < n; i++) {
      const c = cells[i];
      const open = i === selected ? (c ? cellOpen(c.state) : EMPTY_CELL_OPEN).replace('<a ', '<a aria-selected="true" ') : c ? cellOpen(c.state) : EMPTY_CELL_OPEN;
      out.push(
        c
          ? `${open}${runQ[i]}${taskQ}" title="${cellTitle(c)}">${CELL_SYMBOL.get(c.state) ?? CELL_SYMBOL.get(null)}</a></td>`
          : `${open}${runQ[i]}${taskQ}" title="not in this run"></a></td>`,
      );
    }
    out.push('</tr>');
  }
  return out.join(''); // one flat string (a rope of += pieces is flattened again when its length in bytes is taken)
}

export function GridView(props: { dagId: string; grid: Grid; selectedRun?: string; selectedTask?: string }) {
  const { grid, dagId } = props;
  const durations = grid.runs.map((r) => secondsBetween(r.start_date, r.end_date) ?? 0);
  const longest = Math.max(1, ...durations);
  return (
    <div class="grid-scroll" id="grid" data-dag={dagId} data-base={dagHref(dagId)}>
      <table class="grid" role="grid" aria-label={`Runs of ${dagId} by task`}>
        <thead>
          <tr>
            <th class="task">
              {grid.olderBefore ? <a href={dagHref(dagId, undefined, { before: grid.olderBefore })}>« older runs</a> : <span class="muted">{grid.runs.length} runs</span>}
            </th>
            {grid.runs.map((r, i) => {
              const h = Math.max(3, Math.round((durations[i] / longest) * BAR_HEIGHT));
              return (
                <th class="bar" data-run={r.run_id}>
                  <a href={runHref(dagId, r.run_id)} class={stateClass(r.state)} title={`${r.run_id}: ${stateLabel(r.state)}, ${duration(durations[i])}, ${utc(r.logical_date)}`}>
                    <svg width="18" height={BAR_HEIGHT} aria-hidden="true">
                      <rect x="2" y={BAR_HEIGHT - h} width="14" height={h} rx="2" />
                    </svg>
                    <span class="sr-only">{`${r.run_id} ${stateLabel(r.state)}`}</span>
                  </a>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{raw(bodyHtml(grid, props.selectedRun, props.selectedTask))}</tbody>
      </table>
      {grid.runs.length === 0 ? <p class="muted">No runs yet.</p> : null}
    </div>
  );
}
