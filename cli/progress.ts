// Live progress of runs: on a terminal, a task list redrawn in place; otherwise one plain line per state change.
// Each attempt that ends up_for_retry also gets a line saying why, with its log's path (failed ones: the summary).
// What one turn of the event loop changes (a scheduling pass queues and starts several tasks, a batch of spawner
// messages ends several) is written at the end of that turn in one write, or one redraw, instead of one per change.
import type { RunLoopEvents } from '../engine/run/run-loop.js';
import type { DagSpec, TaskState } from '../engine/types.js';
import type { TaskInstanceRow } from '../engine/state/rows.js';
import { engineSettings } from '../engine/settings.js';
import { failureReason, type FailureReason } from './failure-reasons.js';

const COLOURS: Record<string, string> = {
  success: '\x1b[32m', failed: '\x1b[31m', running: '\x1b[92m', up_for_retry: '\x1b[33m', upstream_failed: '\x1b[38;5;208m',
  skipped: '\x1b[35m', scheduled: '\x1b[90m', queued: '\x1b[90m',
};

export interface TaskProgress extends RunLoopEvents {
  done(): void;
  /** The failure lines said so far, oldest first. */
  readonly failures: FailureReason[];
}

export function taskProgress(dag: DagSpec, out: NodeJS.WriteStream = process.stdout, home = engineSettings().home): TaskProgress {
  const states = new Map<string, { state: TaskState; try: number }>(dag.tasks.map((t) => [t.taskId, { state: null, try: 0 }]));
  const tty = out.isTTY === true && dag.tasks.length <= 40;
  const failures: FailureReason[] = [];
  let drawn = 0;
  const width = Math.max(...dag.tasks.map((t) => t.taskId.length));
  const draw = () => {
    let text = drawn ? `\x1b[${drawn}A` : '';
    for (const [id, s] of states) {
      const label = s.state ?? 'none';
      text += `\x1b[2K  ${id.padEnd(width)}  ${COLOURS[label] ?? ''}${label}\x1b[0m${s.try > 1 ? ` (try ${s.try})` : ''}\n`;
    }
    for (const f of failures) text += `\x1b[2K  ${f.line}\n`; // under the list, redrawn with it
    drawn = states.size + failures.length;
    out.write(text);
  };
  /** Lines (or a redraw) waiting for the end of this turn of the event loop. */
  let pending = '';
  let dirty = false;
  let flushTimer: NodeJS.Immediate | undefined;
  const flush = () => {
    flushTimer = undefined;
    if (tty && dirty) draw();
    else if (pending) out.write(pending);
    pending = '';
    dirty = false;
  };
  const later = () => (flushTimer ??= setImmediate(flush));
  // A command ended by process.exit (an error raised in a callback) still shows the changes it had seen.
  process.on('exit', flush);
  return {
    failures,
    taskState(run, taskId, state, ti?: TaskInstanceRow, reason?: string) {
      const prev = states.get(taskId);
      const tryNumber = ti?.try_number ?? prev?.try ?? 0;
      states.set(taskId, { state, try: tryNumber });
      // failed ones are said in the summary at the end; a retry is said now, since the next try may be far off
      const failure = state === 'up_for_retry' ? failureReason(home, run, taskId, state, ti, reason) : undefined;
      if (failure) failures.push(failure);
      if (tty) {
        dirty = true;
        later();
      } else if (state !== 'scheduled') {
        pending += `${new Date().toISOString()} ${run.dag_id} ${taskId} ${state}${tryNumber > 1 ? ` (try ${tryNumber})` : ''}\n`;
        if (failure) pending += `  ${failure.line}\n`;
        later();
      }
    },
    done() {
      if (flushTimer) clearImmediate(flushTimer);
      process.removeListener('exit', flush);
      dirty ||= tty;
      flush();
    },
  };
}

export function formatDuration(sec: number | null): string {
  if (sec == null) return '';
  if (sec < 60) return `${sec.toFixed(1)}s`;
  const m = Math.floor(sec / 60);
  return `${m}m${Math.round(sec - m * 60)}s`;
}
