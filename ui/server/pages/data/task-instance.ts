// One task instance as its panel shows it: state, every try with its duration, the arguments rendered for this run
// (templates filled in from the run, never from the web server's environment), the XComs it pushed.
import type { Store } from '../../../../engine/state/store.js';
import type { DagRunRow, TaskInstanceRow } from '../../../../engine/state/rows.js';
import type { DagSpec } from '../../../../engine/types.js';
import type { XcomRow } from '../../../../engine/state/xcom.js';
import { templateRunInfo } from '../../../../engine/run/context.js';
import { renderArgs, templateContext } from '../../../../engine/template/index.js';
import { secondsBetween } from '../format.js';
import { UNDER_WAY } from '../states.js';

export interface Try {
  try_number: number;
  state: string | null;
  start_date: string | null;
  end_date: string | null;
  duration: number | null;
  hostname: string | null;
}

/** Whether a try still runs: its duration is how long so far, and grows until it ends. */
export const stillRunning = (t: Try): boolean => !t.end_date && UNDER_WAY.has(t.state ?? '');

export interface TaskInstanceView {
  run: DagRunRow;
  ti: TaskInstanceRow;
  tries: Try[];
  /** The rendered arguments, or the raw ones with why they could not be rendered. */
  args: { values: Record<string, unknown>; rendered: boolean; problem?: string } | null;
  xcoms: XcomRow[];
}

export function taskInstanceView(store: Store, spec: DagSpec | undefined, dagId: string, runId: string, taskId: string): TaskInstanceView | null {
  const run = store.runs.get(dagId, runId);
  const ti = run && store.tis.get({ dagId, runId, taskId });
  if (!run || !ti) return null;
  const past: Try[] = store.tis.history({ dagId, runId, taskId }).map((h) => ({
    try_number: h.try_number,
    state: h.state,
    start_date: h.start_date,
    end_date: h.end_date,
    duration: secondsBetween(h.start_date, h.end_date),
    hostname: h.hostname,
  }));
  const tries = past.filter((t) => t.try_number !== ti.try_number);
  if (ti.try_number > 0) {
    tries.push({ try_number: ti.try_number, state: ti.state, start_date: ti.start_date, end_date: ti.end_date, duration: ti.duration ?? secondsBetween(ti.start_date, ti.end_date), hostname: ti.hostname });
  }
  tries.sort((a, b) => a.try_number - b.try_number);
  return { run, ti, tries, args: renderedArgs(store, spec, run, taskId, Math.max(1, ti.try_number)), xcoms: store.xcom.list({ dagId, runId, taskId }) };
}

function renderedArgs(store: Store, spec: DagSpec | undefined, run: DagRunRow, taskId: string, tryNumber: number): TaskInstanceView['args'] {
  const task = spec?.tasks.find((t) => t.taskId === taskId);
  if (!spec || !task) return null;
  try {
    const xcom = {
      pull: (taskIds: string | string[] | undefined, key: string | null) => {
        const ids = taskIds === undefined ? [] : Array.isArray(taskIds) ? taskIds : [taskIds];
        const values = ids.map((t) => store.xcom.pull(run.dag_id, run.run_id, t, key));
        return Array.isArray(taskIds) ? values : values[0];
      },
    };
    // An empty environment: the page must not show the web server's variables through {{ var.env }} or the like.
    const ctx = templateContext(templateRunInfo(spec, run, task, tryNumber, null), xcom, {});
    return { values: renderArgs(task.args, ctx, undefined, { dagId: spec.dagId, taskId }), rendered: true };
  } catch (err) {
    return { values: task.args, rendered: false, problem: (err as Error).message.split('\n')[0] };
  }
}
