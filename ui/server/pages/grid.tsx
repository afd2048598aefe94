// The grid: runs as columns (oldest left, as Airflow 3 draws them) with a duration bar each, tasks as rows, task
// groups as a summary row that collapses its members; each cell is a link (keyboard-focusable, arrow keys move
// between cells via the script) coloured by state, with the state's symbol and a title.
// The rows are written as strings, not JSX nodes: at 25 runs x 500 tasks that is 12,500 cells, and building a node
// tree for each cost ten times the render. Every value goes through escapeHtml. The run of a column is on its header
// (data-run) and the task of a row on the row (data-task), so a cell carries only its state and its link.
import { raw } from 'hono/html';
import type { Grid } from './data/grid.js';
import { cellKey } from './data/grid.js';
import { groupState, stateClass, stateLabel, stateSymbol } from './states.js';
import { duration, secondsBetween, utc } from './format.js';
import { dagHref, runHref } from './hrefs.js';

const BAR_HEIGHT = 60;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

function cellHtml(href: string, state: string | null, title: string, present: boolean): string {
  return `<td><a class="cell ${stateClass(state)}" href="${escapeHtml(href)}" title="${escapeHtml(title)}">${present ? stateSymbol(state) : ''}</a></td>`;
}

function bodyHtml(dagId: string, grid: Grid, selectedRun?: string, selectedTask?: string): string {
  const groups = new Map<string, string[]>();
  for (const r of grid.rows) if (r.group) groups.set(r.group, [...(groups.get(r.group) ?? []), r.taskId]);
  const runQ = grid.runs.map((r) => `?run=${encodeURIComponent(r.run_id)}`);
  const emitted = new Set<string>();
  const out: string[] = [];
  for (const row of grid.rows) {
    if (row.group && !emitted.has(row.group)) {
      emitted.add(row.group);
      const members = groups.get(row.group)!;
      const g = escapeHtml(row.group);
      out.push(`<tr class="group" data-group-row="${g}"><th class="task" scope="row"><button type="button" class="group-toggle" data-group-toggle="${g}" aria-expanded="true" title="Collapse or expand the group">▾</button>${g} <span class="muted">(${members.length})</span></th>`);
      grid.runs.forEach((r, i) => {
        const s = groupState(members.map((t) => grid.cells.get(cellKey(r.run_id, t))?.state ?? null));
        out.push(cellHtml(runQ[i], s, `group ${row.group}: ${stateLabel(s)}`, true));
      });
      out.push('</tr>');
    }
    const label = row.group ? row.taskId.slice(row.group.length + 1) || row.taskId : row.taskId;
    out.push(`<tr data-task="${escapeHtml(row.taskId)}"${row.group ? ` data-group="${escapeHtml(row.group)}"` : ''}><th class="task${row.group ? ' in-group' : ''}" scope="row" title="${escapeHtml(row.operator ?? '')}">${escapeHtml(label)}</th>`);
    const taskQ = `&task=${encodeURIComponent(row.taskId)}`;
    grid.runs.forEach((r, i) => {
      const c = grid.cells.get(cellKey(r.run_id, row.taskId));
      const title = c ? `${stateLabel(c.state)}${c.try_number ? `, try ${c.try_number}` : ''}${c.duration != null ? `, ${duration(c.duration)}` : ''}` : 'not in this run';
      let html = cellHtml(runQ[i] + taskQ, c ? c.state : null, title, !!c);
      if (selectedRun === r.run_id && selectedTask === row.taskId) html = html.replace('<a ', '<a aria-selected="true" ');
      out.push(html);
    });
    out.push('</tr>');
  }
  return out.join('');
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
        <tbody>{raw(bodyHtml(dagId, grid, props.selectedRun, props.selectedTask))}</tbody>
      </table>
      {grid.runs.length === 0 ? <p class="muted">No runs yet.</p> : null}
    </div>
  );
}
