// The grid: runs as columns (oldest left, as Airflow 3 draws them) with a duration bar each, tasks as rows, task
// groups as a summary row that collapses its members; each cell is a link (keyboard-focusable, arrow keys move
// between cells via the script) coloured by state, with the state's symbol and a title.
// The rows are written as strings, not JSX nodes: at 25 runs x 500 tasks that is 12,500 cells, and building a node
// tree for each cost ten times the render. Every value goes through escapeHtml. The run of a column is on its header
// (data-run) and the task of a row on the row (data-task), so a cell carries only its state class, its symbol and a
// short link (`?r=<the run's row id>&t=<task>`, see cellTarget); the legend above names the symbols, and the script
// gives a cell its state's name as a title when it is pointed at or focused. With a title and a full run id in each
// of 12,500 links the page was 1.8 MB; it is about 0.75 MB.
import { raw } from 'hono/html';
import type { Grid, GridCell } from './data/grid.js';
import { STATE_SYMBOLS, groupState, stateClass, stateLabel, stateSymbol } from './states.js';
import { escapeHtml } from './html.js';
import { duration, secondsBetween, utc } from './format.js';
import { dagHref, runHref } from './hrefs.js';

const BAR_HEIGHT = 60;

/** The opening of a cell's link per state (`null` is 'none'), and its symbol: looked up, not built, per cell. */
const CELL_OPEN = new Map<string | null, string>();
const CELL_SYMBOL = new Map<string | null, string>();
const LABEL = new Map<string | null, string>();
for (const s of [null, ...Object.keys(STATE_SYMBOLS)]) {
  // No </td> after a cell nor </tr> after a row: HTML lets both end tags be left out (they are implied by the next
  // cell or row), and at 12,500 cells they were 60 KB.
  CELL_OPEN.set(s, `<td><a class="st-${s ?? 'none'}" href="`);
  CELL_SYMBOL.set(s, stateSymbol(s));
  LABEL.set(s, stateLabel(s));
}
const cellOpen = (s: string | null) => CELL_OPEN.get(s) ?? CELL_OPEN.get(null)!;
const EMPTY_CELL_OPEN = cellOpen(null);

/** A retry's cell says its try (digits and letters: nothing to escape). */
const tryTitle = (c: GridCell) => (c.try_number > 1 ? ` title="try ${c.try_number}"` : '');

function bodyHtml(grid: Grid, selectedRun?: string, selectedTask?: string): string {
  const n = grid.runs.length;
  const groups = new Map<string, string[]>();
  for (const r of grid.rows) if (r.group) groups.set(r.group, [...(groups.get(r.group) ?? []), r.taskId]);
  // Per column, once: the run's query string, escaped for the attribute.
  const runQ = grid.runs.map((r) => `?r=${r.id}`);
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
        out.push(`${cellOpen(s)}${runQ[i]}" title="group ${g}: ${LABEL.get(s) ?? escapeHtml(stateLabel(s))}">${CELL_SYMBOL.get(s) ?? ''}</a>`);
      }
    }
    const label = row.group ? row.taskId.slice(row.group.length + 1) || row.taskId : row.taskId;
    out.push(`<tr data-task="${escapeHtml(row.taskId)}"${row.group ? ` data-group="${escapeHtml(row.group)}"` : ''}><th class="task${row.group ? ' in-group' : ''}" scope="row" title="${escapeHtml(row.operator ?? '')}">${escapeHtml(label)}</th>`);
    // A bare & here is valid HTML (`&t=` cannot be read as a character reference) and saves 4 bytes a cell.
    const taskQ = `&t=${escapeHtml(encodeURIComponent(row.taskId))}`;
    const cells = grid.cells.get(row.taskId) ?? none;
    const selected = row.taskId === selectedTask ? selectedCol : -1;
    for (let i = 0; i < n; i++) {
      const c = cells[i];
      const open = i === selected ? (c ? cellOpen(c.state) : EMPTY_CELL_OPEN).replace('<a ', '<a aria-selected="true" ') : c ? cellOpen(c.state) : EMPTY_CELL_OPEN;
      out.push(
        c
          ? `${open}${runQ[i]}${taskQ}"${tryTitle(c)}>${CELL_SYMBOL.get(c.state) ?? CELL_SYMBOL.get(null)}</a>`
          : `${open}${runQ[i]}${taskQ}" title="not in this run"></a>`,
      );
    }
  }
  return out.join(''); // one flat string (a rope of += pieces is flattened again when its length in bytes is taken)
}

/** The states a grid mostly shows, with their symbols: how to read the cells without colour, and without script. */
const LEGEND = ['success', 'failed', 'running', 'queued', 'scheduled', 'up_for_retry', 'upstream_failed', 'skipped', null];

function Legend() {
  return (
    <p class="legend" aria-label="Cell symbols">
      {LEGEND.map((s) => (
        <span><span class={`mark ${stateClass(s)}`} aria-hidden="true">{stateSymbol(s)}</span> {stateLabel(s)}</span>
      ))}
    </p>
  );
}

export function GridView(props: { dagId: string; grid: Grid; selectedRun?: string; selectedTask?: string }) {
  const { grid, dagId } = props;
  const durations = grid.runs.map((r) => secondsBetween(r.start_date, r.end_date) ?? 0);
  const longest = Math.max(1, ...durations);
  return (
    <div class="grid-scroll" id="grid" data-dag={dagId} data-base={dagHref(dagId)}>
      <Legend />
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
