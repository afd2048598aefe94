// Why a task failed, said where the user looks: one line per attempt that ended failed or up_for_retry, with the
// reason and the attempt log's path (what `airflow dags test` prints as the exception).
import { attemptLogPath } from '../engine/run/task-log.js';
import { redact } from '../engine/log.js';
import type { DagRunRow, TaskInstanceRow } from '../engine/state/rows.js';
import type { TaskState } from '../engine/types.js';
import type { Store } from '../engine/state/store.js';

export interface FailureReason {
  runId: string;
  taskId: string;
  state: 'failed' | 'up_for_retry';
  tryNumber: number;
  line: string;
}

/** `extract failed: <reason>  (log: <path>)`, on one line, with secrets masked. */
export function failureLine(taskId: string, state: string, reason: string | undefined, logPath: string, tryNumber?: number): string {
  const why = (reason ?? 'no reason recorded').replace(/\s+/g, ' ').trim();
  const attempt = state === 'up_for_retry' && tryNumber ? ` (try ${tryNumber})` : '';
  return redact(`${taskId} ${state}${attempt}: ${why}  (log: ${logPath})`);
}

/** The FailureReason of a task state event, or undefined when the state is not a failure. */
export function failureReason(home: string, run: DagRunRow, taskId: string, state: TaskState, ti: TaskInstanceRow | undefined, reason: string | undefined): FailureReason | undefined {
  if ((state !== 'failed' && state !== 'up_for_retry') || !ti) return undefined;
  // A task failed by upstream_failed propagation or marked by hand has no attempt: no line (it is not "why it failed").
  if (reason === undefined) return undefined;
  const log = attemptLogPath(home, run.dag_id, run.run_id, taskId, ti.try_number);
  return { runId: run.run_id, taskId, state, tryNumber: ti.try_number, line: failureLine(taskId, state, reason, log, ti.try_number) };
}

/** A line for each task of `run` that ended failed after an attempt, from the reason its outcome recorded. */
export function failedTaskLines(store: Store, home: string, run: DagRunRow): string[] {
  return store.tis
    .forRun(run.dag_id, run.run_id)
    .filter((t) => t.state === 'failed' || t.state === 'up_for_retry')
    .flatMap((t) => {
      const reason = store.events.lastError(run.dag_id, run.run_id, t.task_id, t.state!);
      if (reason === undefined) return [];
      return [failureLine(t.task_id, t.state!, reason, attemptLogPath(home, run.dag_id, run.run_id, t.task_id, t.try_number), t.try_number)];
    });
}
