// One run being driven by the run loop: its DAG, an in-memory mirror of its task instances (the database stays the
// source of truth: the mirror changes inside the pass transaction that records it) and the set of tasks to re-evaluate.
import type { DagRunState, DagSpec, TaskSpec, TaskState } from '../types.js';
import type { DagRunRow, TaskInstanceRow } from '../state/rows.js';
import type { Store, TiKey } from '../state/store.js';
import type { RunDates } from './context.js';

/** States in which a task instance can still make progress on its own (Airflow's are_runnable_tasks). */
const RUNNABLE = new Set<TaskState>(['scheduled', 'queued', 'running', 'up_for_retry']);

export class ActiveRun {
  /** Change through put/setState/takeIn only: they keep the counts below. */
  readonly tis: ReadonlyMap<string, TaskInstanceRow>;
  private readonly rows = new Map<string, TaskInstanceRow>();
  /** The scheduled task instances (the candidates of a pass) and how many are in a runnable state. */
  readonly scheduled = new Set<string>();
  private runnable = 0;
  readonly dirty: Set<string>;
  readonly leaves: ReadonlySet<string>;
  readonly dependsOnPast: boolean;
  readonly timers = new Set<NodeJS.Timeout>();
  readonly finished: Promise<DagRunRow>;
  resolve!: (row: DagRunRow) => void;
  /** The final state decided by a pass, committed with it, then acted on. */
  finalState?: Exclude<DagRunState, 'queued' | 'running'>;
  /** The run's dates as its attempts see them, worked out once. */
  dates?: RunDates;
  private readonly tasks: Map<string, TaskSpec>;
  private readonly downstream = new Map<string, string[]>();
  private prev?: { start: Date; end: Date } | null;

  constructor(
    readonly dag: DagSpec,
    readonly row: DagRunRow,
    tis: TaskInstanceRow[],
  ) {
    this.tis = this.rows;
    for (const t of tis) this.put(t);
    this.tasks = new Map(dag.tasks.map((t) => [t.taskId, t]));
    for (const t of dag.tasks) {
      for (const u of t.upstream) {
        const list = this.downstream.get(u);
        if (list) list.push(t.taskId);
        else this.downstream.set(u, [t.taskId]);
      }
    }
    this.leaves = new Set(dag.tasks.filter((t) => !this.downstream.has(t.taskId)).map((t) => t.taskId));
    this.dependsOnPast = dag.tasks.some((t) => t.dependsOnPast);
    this.dirty = new Set(dag.tasks.map((t) => t.taskId));
    this.finished = new Promise((r) => (this.resolve = r));
  }

  task(taskId: string): TaskSpec | undefined {
    return this.tasks.get(taskId);
  }

  key(taskId: string): TiKey {
    return { dagId: this.dag.dagId, runId: this.row.run_id, taskId };
  }

  /** A task instance as it now is in the database. */
  put(ti: TaskInstanceRow): void {
    const before = this.rows.get(ti.task_id);
    if (before && RUNNABLE.has(before.state)) this.runnable--;
    if (RUNNABLE.has(ti.state)) this.runnable++;
    if (ti.state === 'scheduled') this.scheduled.add(ti.task_id);
    else this.scheduled.delete(ti.task_id);
    this.rows.set(ti.task_id, ti);
  }

  setState(taskId: string, state: TaskState): void {
    const ti = this.rows.get(taskId);
    if (ti) this.put({ ...ti, state });
  }

  markDownstreamDirty(taskId: string): void {
    for (const d of this.downstream.get(taskId) ?? []) this.dirty.add(d);
  }

  /** A task instance as another process set it (a mark, a clear): taken as it is, it and its downstream evaluated again. */
  takeIn(ti: TaskInstanceRow): void {
    this.put(ti);
    this.dirty.add(ti.task_id);
    this.markDownstreamDirty(ti.task_id);
  }

  /** Anything that can still make progress: scheduled, queued or running work, or a retry waiting for its time. */
  hasRunnable(): boolean {
    return this.runnable > 0;
  }

  /** The data interval of the previous successful run (for prev_data_interval_*_success), looked up once. */
  prevSuccess(store: Store): { start: Date; end: Date } | null {
    if (this.prev === undefined) {
      const r = store.runs.previousSuccess(this.dag.dagId, this.row.logical_date);
      this.prev = r?.data_interval_start && r.data_interval_end ? { start: new Date(r.data_interval_start), end: new Date(r.data_interval_end) } : null;
    }
    return this.prev;
  }
}
