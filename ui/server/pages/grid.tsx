// The grid: runs as columns (oldest left, as Airflow 3 draws them) with a duration bar each, tasks as rows, task
// groups as a summary row that collapses its members; each cell is a link (keyboard-focusable, arrow keys move
// between cells via the script) coloured by state, with the state's symbol and a title.
import type { Grid } from './data/grid.js';
import { cellKey, groupState } from './data/grid.js';
import { stateClass, stateLabel, stateSymbol } from './states.js';
import { duration, secondsBetween, utc } from './format.js';
import { dagHref, runHref, tiHref } from './hrefs.js';

const BAR_HEIGHT = 60;

export function GridView(props: { dagId: string; grid: Grid; selectedRun?: string; selectedTask?: string }) {
  const { grid, dagId } = props;
  const durations = grid.runs.map((r) => secondsBetween(r.start_date, r.end_date) ?? 0);
  const longest = Math.max(1, ...durations);
  const groups = new Map<string, string[]>();
  for (const r of grid.rows) if (r.group) groups.set(r.group, [...(groups.get(r.group) ?? []), r.taskId]);
  const emitted = new Set<string>();
  return (
    <div class="grid-scroll" id="grid" data-dag={dagId}>
      <table class="grid" role="grid" aria-label={`Runs of ${dagId} by task`}>
        <thead>
          <tr>
            <th class="task">
              {grid.olderBefore ? <a href={dagHref(dagId, undefined, { before: grid.olderBefore })}>« older runs</a> : <span class="muted">{grid.runs.length} runs</span>}
            </th>
            {grid.runs.map((r, i) => {
              const h = Math.max(3, Math.round((durations[i] / longest) * BAR_HEIGHT));
              return (
                <th class="bar" id={`r:${r.run_id}`} data-state={r.state}>
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
        <tbody>
          {grid.rows.flatMap((row) => {
            const out = [];
            if (row.group && !emitted.has(row.group)) {
              emitted.add(row.group);
              const members = groups.get(row.group)!;
              out.push(
                <tr class="group" data-group-row={row.group}>
                  <th class="task" scope="row">
                    <button type="button" class="group-toggle" data-group-toggle={row.group} aria-expanded="true" title="Collapse or expand the group">▾</button>
                    {row.group} <span class="muted">({members.length})</span>
                  </th>
                  {grid.runs.map((r) => {
                    const s = groupState(members.map((t) => grid.cells.get(cellKey(r.run_id, t))?.state ?? null));
                    return (
                      <td>
                        <a class={`cell ${stateClass(s)}`} id={`g:${r.run_id}:${row.group}`} href={runHref(dagId, r.run_id)} title={`group ${row.group}, ${r.run_id}: ${stateLabel(s)}`}>
                          {stateSymbol(s)}
                        </a>
                      </td>
                    );
                  })}
                </tr>,
              );
            }
            out.push(
              <tr data-group={row.group ?? undefined}>
                <th class={`task${row.group ? ' in-group' : ''}`} scope="row" title={row.operator ?? ''}>{row.group ? row.taskId.slice(row.group.length + 1) || row.taskId : row.taskId}</th>
                {grid.runs.map((r) => {
                  const c = grid.cells.get(cellKey(r.run_id, row.taskId));
                  const s = c ? c.state : null;
                  const selected = props.selectedRun === r.run_id && props.selectedTask === row.taskId;
                  return (
                    <td>
                      <a
                        class={`cell ${stateClass(s)}`}
                        id={`c:${r.run_id}:${row.taskId}`}
                        href={tiHref(dagId, r.run_id, row.taskId)}
                        data-run={r.run_id}
                        data-task={row.taskId}
                        aria-selected={selected ? 'true' : undefined}
                        title={`${row.taskId}, ${r.run_id}: ${c ? stateLabel(s) : 'not in this run'}${c?.try_number ? `, try ${c.try_number}` : ''}${c?.duration != null ? `, ${duration(c.duration)}` : ''}`}
                      >
                        {c ? stateSymbol(s) : ''}
                      </a>
                    </td>
                  );
                })}
              </tr>,
            );
            return out;
          })}
        </tbody>
      </table>
      {grid.runs.length === 0 ? <p class="muted">No runs yet.</p> : null}
    </div>
  );
}
