// The run loop: drives active DAG runs to a final state with Airflow's semantics. Decisions come from pure functions
// (trigger rules, final state, retries); this module does the I/O around them. Every transition is committed to the
// state database before it is acted on, so a crash at any instant loses nothing that was recorded.
//
// Work is incremental: a finished task marks only its downstream tasks dirty, and scheduling passes are coalesced
// (setImmediate), so a hand-off from an upstream to its downstream costs well under a millisecond of loop time.
import os from 'node:os';
import type { DagSpec, TaskSpec, TaskState } from '../types.js';
import type { Store, TiKey } from '../state/store.js';
import type { DagRunRow, TaskInstanceRow } from '../state/rows.js';
import type { OperatorRegistry } from '../operators/registry.js';
import { countUpstream, evaluateTriggerRule } from './trigger-rules.js';
import { finalRunState } from './final-state.js';
import { attemptOf, endState } from './retry.js';
import { renderArgs, templateContext } from '../template/index.js';
import { builtOnUse, contextData, runDates, templateRunInfo } from './context.js';
import { AttemptLog } from './task-log.js';
import type { Executor, RunningAttempt } from './executor.js';
import type { AttemptOutcome } from './attempt.js';
import { pickDispatchable, type Candidate } from './dispatch.js';
import { ActiveRun } from './active-run.js';
import { logger } from '../log.js';
import { StateDbError } from '../state/db-errors.js';
import { newTaskInstances } from './prepare-run.js';
import { insertTaskInstances } from '../state/dag-runs.js';

export interface RunLoopEvents {
  /** `reason`: why an attempt ended failed or up_for_retry (the error also written to its attempt log). */
  taskState?(run: DagRunRow, taskId: string, state: TaskState, ti?: TaskInstanceRow, reason?: string): void;
  runState?(run: DagRunRow): void;
}

export interface RunLoopOptions {
  store: Store;
  executor: Executor;
  registry: OperatorRegistry;
  home: string;
  parallelism: number;
  jobId: number | null;
  events?: RunLoopEvents;
  /** Mirror attempt log lines here (e.g. `dag tasks test` prints them). */
  echoLog?: (line: string) => void;
}

export class RunLoop {
  private readonly active = new Map<string, ActiveRun>();
  /** Attempts this loop is running, by attemptKey. */
  private readonly attempts = new Map<string, { key: TiKey; attempt: RunningAttempt }>();
  private passQueued = false;
  /** Attempts that ended, waiting for the next pass to record them. */
  private readonly outcomes: { run: ActiveRun; task: TaskSpec; ti: TaskInstanceRow; result: AttemptOutcome }[] = [];
  /** Attempt logs being flushed; their outcomes follow. */
  private readonly closing = new Set<Promise<void>>();
  private stopping = false;
  private readonly host = os.hostname();
  private reconcileTimer?: NodeJS.Timeout;
  private seenVersion?: number;

  constructor(private readonly o: RunLoopOptions) {}

  get runningAttempts(): number {
    return this.attempts.size;
  }

  get activeRuns(): number {
    return this.active.size;
  }

  /** Start (or resume) a run and resolve with its final state. The run's task instances must exist. */
  drive(dag: DagSpec, runId: string): Promise<DagRunRow> {
    const { store } = this.o;
    const key = runKey(dag.dagId, runId);
    const existing = this.active.get(key);
    if (existing) return existing.finished;
    const row = store.runs.get(dag.dagId, runId);
    if (!row) throw new Error(`run ${runId} of ${dag.dagId} does not exist`);
    const tis = store.tx(() => {
      // Under the write lock nobody else commits: with no other run to reconcile, what is read here is the latest,
      // and the first reconcile need not read it all again.
      if (!this.active.size) this.seenVersion = store.dataVersion();
      if (row.state !== 'running') store.runs.setState(dag.dagId, runId, 'running');
      return this.verifyIntegrity(dag, row);
    });
    const run = new ActiveRun(dag, store.runs.get(dag.dagId, runId)!, tis);
    this.active.set(key, run);
    this.o.events?.runState?.(run.row);
    for (const ti of run.tis.values()) if (ti.state === 'up_for_retry') this.armRetry(run, ti);
    this.reconcileTimer ??= setInterval(() => this.reconcileSafely(), RECONCILE_MS).unref();
    this.schedule();
    return run.finished;
  }

  private reconcileSafely(): void {
    if (this.stopping) return;
    try {
      this.reconcile();
    } catch (err) {
      if (err instanceof StateDbError && err.fatal) return;
      logger.error({ err }, 'reading changes made outside the run loop failed');
    }
  }

  /**
   * Take in what another process (the web server, a CLI command) changed in the runs this loop drives, as Airflow's
   * task runner notices a state set externally: a run marked success or failed, cleared or deleted is let go and its
   * attempts stopped; a task instance marked or cleared under the loop is taken as it now is (its attempt stopped),
   * and its downstream tasks are evaluated again.
   */
  reconcile(): void {
    const { store } = this.o;
    // data_version moves only when another connection commits: with none since the last look, nothing can differ,
    // so a quiet second costs one pragma instead of reading every task instance of every run.
    const version = store.dataVersion();
    if (version === this.seenVersion) return;
    this.seenVersion = version;
    let changed = false;
    for (const [key, run] of this.active) {
      const row = store.runs.get(run.dag.dagId, run.row.run_id);
      if (!row || row.state !== 'running' || row.clear_number !== run.row.clear_number) {
        for (const { key: k, attempt } of this.attempts.values()) {
          if (k.dagId === run.dag.dagId && k.runId === run.row.run_id) attempt.stop(`the run was ${row ? `set ${row.state}` : 'deleted'} outside this process`);
        }
        this.active.delete(key);
        for (const t of run.timers) clearTimeout(t);
        run.resolve(row ?? run.row);
        continue;
      }
      for (const t of store.tis.forRun(run.dag.dagId, run.row.run_id)) {
        const mine = run.tis.get(t.task_id);
        if (!mine || (mine.state === t.state && mine.try_number === t.try_number)) continue;
        const inFlight = this.attempts.get(attemptKey(run.key(t.task_id)));
        if (inFlight) {
          inFlight.attempt.stop(`its state was set to ${t.state ?? 'none'} outside this process`);
          continue; // taken in when the stopped attempt ends (recordOutcome)
        }
        run.takeIn(t);
        changed = true;
      }
    }
    if (!this.active.size && this.reconcileTimer) {
      clearInterval(this.reconcileTimer);
      this.reconcileTimer = undefined;
    }
    if (changed) this.schedule();
  }

  /**
   * Task instances for tasks added to the DAG since the run was created; `removed` for tasks that vanished. Returns
   * the run's task instances as they now are.
   */
  private verifyIntegrity(dag: DagSpec, row: DagRunRow): TaskInstanceRow[] {
    const { store } = this.o;
    const rows = store.tis.forRun(dag.dagId, row.run_id);
    const tis = new Map(rows.map((t) => [t.task_id, t]));
    const ids = new Set(dag.tasks.map((t) => t.taskId));
    const vanished = rows.filter((t) => !ids.has(t.task_id) && t.state !== 'removed');
    for (const t of vanished) store.tis.setState({ dagId: dag.dagId, runId: row.run_id, taskId: t.task_id }, 'removed');
    const missing = dag.tasks.filter((t) => !tis.has(t.taskId));
    insertTaskInstances(store.db, dag.dagId, row.run_id, newTaskInstances(dag, missing));
    return vanished.length || missing.length ? store.tis.forRun(dag.dagId, row.run_id) : rows;
  }

  /** Coalesce scheduling passes: many completions in one tick make one pass. */
  schedule(): void {
    if (this.passQueued || this.stopping) return;
    this.passQueued = true;
    setImmediate(() => {
      this.passQueued = false;
      try {
        this.pass();
      } catch (err) {
        if (err instanceof StateDbError && err.fatal) return; // nothing can be recorded: the store's owner ends the command
        // A loop that must survive turns a thrown error into a logged one; the next event retries the pass.
        logger.error({ err }, 'scheduling pass failed');
        setTimeout(() => this.schedule(), 1000).unref();
      }
    });
  }

  private pass(): void {
    const { store } = this.o;
    const now = new Date();
    const candidates: Candidate[] = [];
    const finishedRuns: ActiveRun[] = [];
    // One transaction per pass: the outcomes that arrived since the last pass, the trigger rules they unlock, and
    // the task instances claimed to run next, all committed before any attempt starts. With many short tasks this
    // is one commit for a batch of completions instead of three per task.
    const outcomes = this.outcomes.splice(0);
    let started: (Candidate & { ti: TaskInstanceRow })[];
    try {
      started = store.tx(() => {
        for (const o of outcomes) this.recordOutcome(o.run, o.task, o.ti, o.result);
        this.evaluateAll(now, candidates, finishedRuns);
        for (const run of finishedRuns) {
          const cur = store.runs.get(run.dag.dagId, run.row.run_id);
          // Not over a state set outside this process since the last reconcile (a clear, a mark).
          if (cur?.state === 'running' && cur.clear_number === run.row.clear_number) store.runs.setState(run.dag.dagId, run.row.run_id, run.finalState!, now);
        }
        return this.claim(candidates, now);
      });
    } catch (err) {
      this.outcomes.unshift(...outcomes); // recorded next time
      throw err;
    }
    for (const run of finishedRuns) this.finishRun(run);
    for (const c of started) {
      this.o.events?.taskState?.(c.run.row, c.ti.task_id, 'running', c.ti);
      this.launch(c.run, c.task, c.ti);
    }
  }

  private evaluateAll(now: Date, candidates: Candidate[], finishedRuns: ActiveRun[]): void {
    // Trigger rules for what changed, then each run's state: finished runs are collected, running ones offer
    // their scheduled task instances.
    for (const run of this.active.values()) {
      const changed = this.evaluate(run, now);
      // With anything scheduled, queued, running or waiting to retry the run is running: only a run with none of
      // those needs its whole list looked at.
      const state = run.hasRunnable() ? 'running' : finalRunState({
        tis: [...run.tis.values()].map((t) => ({ taskId: t.task_id, state: t.state })),
        leafTaskIds: run.leaves,
        anyRunnable: changed,
        dependsOnPast: run.dependsOnPast,
      });
      if (state !== 'running') {
        run.finalState = state;
        finishedRuns.push(run);
        continue;
      }
      for (const taskId of run.scheduled) candidates.push({ run, ti: run.tis.get(taskId)!, task: run.task(taskId)! });
    }
  }

  /** Apply trigger rules to the dirty task instances of a run, cascading propagation. Returns whether anything changed. */
  private evaluate(run: ActiveRun, now: Date): boolean {
    const { store } = this.o;
    let changed = false;
    while (run.dirty.size) {
      const batch = [...run.dirty];
      run.dirty.clear();
      for (const taskId of batch) {
        const ti = run.tis.get(taskId);
        const task = run.task(taskId);
        if (!ti || !task) continue;
        if (ti.state !== null && !(ti.state === 'up_for_retry' && ti.next_retry_at != null && Date.parse(ti.next_retry_at) <= now.getTime())) continue;
        const decision = evaluateTriggerRule(task.triggerRule, countUpstream(task.upstream.map((u) => run.tis.get(u)?.state ?? null)));
        const k = run.key(taskId);
        if (decision.kind === 'propagate') {
          store.tis.propagate(k, decision.state, now);
          run.setState(taskId, decision.state);
          run.markDownstreamDirty(taskId);
          this.o.events?.taskState?.(run.row, taskId, decision.state);
          changed = true;
        } else if (decision.kind === 'run' && this.pastAllows(run, task)) {
          store.tis.setState(k, 'scheduled');
          run.setState(taskId, 'scheduled');
          this.o.events?.taskState?.(run.row, taskId, 'scheduled');
          changed = true;
        }
      }
    }
    return changed;
  }

  /** depends_on_past: the task's instance in the previous run must have succeeded or been skipped (airflow/ti_deps/deps/prev_dagrun_dep.py). */
  private pastAllows(run: ActiveRun, task: TaskSpec): boolean {
    if (!task.dependsOnPast) return true;
    const prev = this.o.store.tis.inPreviousRun({ dagId: run.dag.dagId, taskId: task.taskId, before: run.row.logical_date, skipManual: run.dag.catchup });
    return !prev || prev.state === 'success' || prev.state === 'skipped';
  }

  /** Choose what runs next and mark it queued, then running with try_number + 1 (inside the pass's transaction). */
  private claim(all: Candidate[], now: Date): (Candidate & { ti: TaskInstanceRow })[] {
    const { store } = this.o;
    // Airflow's scheduler sets an EmptyOperator task to success itself: it is never sent to the executor, takes no
    // slot and writes no log. Its downstream tasks are evaluated in the next pass.
    const candidates: Candidate[] = [];
    const empties: Candidate[] = [];
    for (const c of all) (this.o.registry.resolve(c.task.operator)?.neverExecuted ? empties : candidates).push(c);
    if (empties.length) {
      for (const c of empties) {
        const k = c.run.key(c.ti.task_id);
        store.tis.start(k, { hostname: this.host, pid: process.pid, jobId: this.o.jobId }, now);
        const row = store.tis.finish(k, 'success', now);
        c.run.put(row);
        c.run.markDownstreamDirty(row.task_id);
        this.o.events?.taskState?.(c.run.row, row.task_id, 'success', row);
      }
      this.schedule();
    }
    if (!candidates.length) return [];
    const chosen = pickDispatchable(candidates, {
      freeSlots: this.o.parallelism - this.attempts.size,
      activeForDag: (dagId) => store.tis.activeForDag(dagId),
      poolSlots: (pool) => store.pools.slots(pool),
      occupiedSlots: (pool) => store.tis.occupiedSlots(pool),
    });
    for (const c of chosen) store.tis.queue(c.run.key(c.ti.task_id), this.o.jobId);
    return chosen.map((c) => {
      const ti = store.tis.start(c.run.key(c.ti.task_id), { hostname: this.host, pid: process.pid, jobId: this.o.jobId }, now);
      store.xcom.clearTask(c.run.dag.dagId, c.run.row.run_id, c.ti.task_id);
      c.run.put(ti);
      return { ...c, ti };
    });
  }

  private launch(run: ActiveRun, task: TaskSpec, ti: TaskInstanceRow): void {
    const { store, home } = this.o;
    const k = run.key(task.taskId);
    const log = AttemptLog.forAttempt(home, { dagId: run.dag.dagId, runId: run.row.run_id, taskId: task.taskId, tryNumber: ti.try_number }, this.o.echoLog);
    log.info(`Starting attempt ${attemptOf(ti)}: ${run.dag.dagId}.${task.taskId} ${run.row.run_id}`);
    const op = this.o.registry.resolve(task.operator);
    let attempt: RunningAttempt;
    try {
      if (!op) throw new Error(`operator '${task.operator}' is not registered`);
      const data = contextData(run.dag, run.row, ti, home, (run.dates ??= runDates(run.dag, run.row)));
      const tctx = builtOnUse(() =>
        templateContext(
          templateRunInfo(run.dag, run.row, task, ti.try_number, run.prevSuccess(store)),
          { pull: (taskIds, key) => this.pullForTemplate(run, taskIds, key) },
          process.env,
          (key) => store.variables.value(key),
        ),
      );
      const args = renderArgs(task.args, tctx, op.templateFields, { dagId: run.dag.dagId, taskId: task.taskId });
      attempt = this.o.executor.run({
        operator: op,
        args,
        ctx: data,
        timeoutSec: task.executionTimeoutSec,
        log,
        xcomPull: (taskId, key) => store.xcom.pull(run.dag.dagId, run.row.run_id, taskId, key),
        xcomPush: (key, value) => store.xcom.push(run.dag.dagId, run.row.run_id, task.taskId, key, value),
      });
    } catch (err) {
      log.error((err as Error).message);
      attempt = { done: Promise.resolve({ outcome: 'failed', error: (err as Error).message }), stop() {} };
    }
    const akey = attemptKey(k);
    this.attempts.set(akey, { key: k, attempt });
    attempt.done.then((result) => {
      if (this.attempts.get(akey)?.attempt === attempt) this.attempts.delete(akey);
      log.info(`Attempt ${ti.try_number} ended: ${result.outcome}${result.error ? ` (${result.error})` : ''}`);
      // Recorded by the very next pass, so a crash between the task's side effects and the commit has a window of
      // one event-loop turn; the log flushes meanwhile (a stop waits for it, and the process for its writes).
      this.outcomes.push({ run, task, ti, result });
      if (!this.stopping) this.schedule();
      const closed = log.close();
      this.closing.add(closed);
      void closed.finally(() => this.closing.delete(closed));
    });
  }

  private pullForTemplate(run: ActiveRun, taskIds: string | string[] | undefined, key: string | null): unknown {
    const pull = (t: string) => this.o.store.xcom.pull(run.dag.dagId, run.row.run_id, t, key) ?? null;
    if (taskIds === undefined) return null;
    return Array.isArray(taskIds) ? taskIds.map(pull) : pull(taskIds);
  }

  private recordOutcome(run: ActiveRun, task: TaskSpec, ti: TaskInstanceRow, result: AttemptOutcome): void {
    const { store } = this.o;
    const k = run.key(task.taskId);
    const now = new Date();
    const { state, retryAt } = endState(task, ti, run.row.logical_date, result, now);
    const record = () => {
      // Only over the attempt this loop started: no row back means it was marked, cleared or deleted outside this
      // process while the attempt ran, and what was set stands.
      const finished = store.tis.finishAttempt(k, ti.try_number, state, now, retryAt);
      if (!finished) return undefined;
      if (state === 'success' && result.value !== undefined) store.xcom.push(k.dagId, k.runId, k.taskId, 'return_value', result.value);
      store.events.add({ event: state, dagId: k.dagId, taskId: k.taskId, runId: k.runId, executionDate: run.row.logical_date, tryNumber: ti.try_number,
        extra: result.error ? { error: result.error } : undefined });
      return finished;
    };
    // Inside a pass it joins the pass's transaction; alone (a zombie) it is one.
    const row = store.db.inTransaction ? record() : store.tx(record);
    if (!row) {
      const current = store.tis.get(k);
      if (current && run.tis.has(task.taskId)) run.takeIn(current);
      return;
    }
    run.put(row);
    if (state === 'up_for_retry') this.armRetry(run, row);
    else run.markDownstreamDirty(task.taskId);
    this.o.events?.taskState?.(run.row, task.taskId, state, row, result.error);
  }

  private armRetry(run: ActiveRun, ti: TaskInstanceRow): void {
    const wait = Math.max(0, Date.parse(ti.next_retry_at ?? '') - Date.now()) || 0;
    const t = setTimeout(() => {
      run.timers.delete(t);
      run.dirty.add(ti.task_id);
      this.schedule();
    }, wait + 5);
    run.timers.add(t);
  }

  private finishRun(run: ActiveRun): void {
    this.active.delete(runKey(run.dag.dagId, run.row.run_id));
    for (const t of run.timers) clearTimeout(t);
    const row = this.o.store.runs.get(run.dag.dagId, run.row.run_id)!;
    this.o.store.events.add({ event: `dag_run_${row.state}`, dagId: row.dag_id, runId: row.run_id, executionDate: row.logical_date });
    this.o.events?.runState?.(row);
    run.resolve(row);
  }

  /** A zombie attempt (its process is gone) goes through the failure path: up_for_retry or failed (as Airflow purges zombies). */
  failZombie(dag: DagSpec | undefined, ti: TaskInstanceRow): void {
    const task = dag?.tasks.find((t) => t.taskId === ti.task_id);
    const run = dag ? this.active.get(runKey(dag.dagId, ti.run_id)) : undefined;
    const result: AttemptOutcome = { outcome: 'failed', error: 'zombie: the attempt stopped heartbeating' };
    if (run && task) {
      if (this.attempts.has(attemptKey(run.key(ti.task_id)))) return; // ours and alive
      this.recordOutcome(run, task, ti, result);
      this.schedule();
      return;
    }
    const { store } = this.o;
    const now = new Date();
    const logicalDate = store.runs.get(ti.dag_id, ti.run_id)?.logical_date ?? ti.start_date ?? now.toISOString();
    const { state, retryAt } = endState(task, ti, logicalDate, result, now);
    store.tx(() => store.tis.finish({ dagId: ti.dag_id, runId: ti.run_id, taskId: ti.task_id }, state, now, retryAt));
  }

  /**
   * Stop cleanly: no new attempts; running attempts are stopped and their task instances reset to none (the try is
   * refunded), so the next `dag run` / scheduler runs them again. Runs stay running, ready to resume.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.reconcileTimer);
    const pending = new Map(this.attempts);
    for (const { attempt } of pending.values()) attempt.stop('the runner is shutting down');
    await Promise.all([...pending.values()].map(({ attempt }) => attempt.done));
    await Promise.all([...this.closing]);
    this.o.store.tx(() => {
      // Attempts that ended on their own before the stop keep their outcome; the ones stopped here are reset.
      for (const o of this.outcomes.splice(0)) {
        if (!pending.has(attemptKey(o.run.key(o.task.taskId)))) this.recordOutcome(o.run, o.task, o.ti, o.result);
      }
      for (const { key } of pending.values()) this.o.store.tis.reset(key, { refundTry: true });
    });
    for (const run of this.active.values()) for (const t of run.timers) clearTimeout(t);
  }
}

/** How often a loop reads what other processes changed in the runs it drives. */
const RECONCILE_MS = 1000;

const runKey = (dagId: string, runId: string) => `${dagId}\u0000${runId}`;
const attemptKey = (k: TiKey) => `${k.dagId}\u0000${k.runId}\u0000${k.taskId}`;
