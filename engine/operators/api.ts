// The operator API: what `tasks/` (and anyone else) implements to plug an operator into the engine.
// An operator is a name, a zod schema for its arguments and an `execute` function; its return value becomes the
// XCom `return_value`. Operators written in TypeScript run in a worker thread, so an attempt that spins forever or
// calls process.exit() stops only itself.
import type { z } from 'zod';

/** Plain, serialisable facts about the attempt (what crosses into the worker thread). */
export interface TaskContextData {
  dagId: string;
  taskId: string;
  runId: string;
  runType: string;
  /** 1-based attempt number. */
  tryNumber: number;
  maxTries: number;
  /** UTC ISO 8601 with offset, e.g. 2024-04-19T22:00:00+00:00. */
  logicalDate: string;
  dataIntervalStart: string;
  dataIntervalEnd: string;
  /** Airflow's ds: the logical date's UTC calendar date. */
  ds: string;
  /** windsock's ds_local: the logical date's calendar date in the DAG's time zone. */
  dsLocal: string;
  timezone: string;
  params: Record<string, unknown>;
  conf: Record<string, unknown>;
  /** WINDSOCK_HOME, absolute. */
  home: string;
}

export interface TaskLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface TaskContext extends TaskContextData {
  log: TaskLogger;
  /** Aborted when the attempt times out or the runner shuts down: stop promptly. */
  signal: AbortSignal;
  /** The most recent XCom of `taskId` in this run (key defaults to "return_value"), or undefined. */
  xcomPull(taskId: string, key?: string): Promise<unknown>;
  xcomPush(key: string, value: unknown): Promise<void>;
}

export interface OperatorDefinition<A = any> {
  /** Canonical name used in DAG files: `operator: openaq.extract`. */
  name: string;
  /** Other names accepted in DAG files (e.g. Airflow import paths). */
  aliases?: string[];
  description?: string;
  /** Validates the task's arguments at load time; unknown keys should be rejected (z.strictObject). */
  args: z.ZodType<A>;
  /** Argument names rendered as templates; default: every string argument, recursively. */
  templateFields?: string[];
  /**
   * Run on the runner's own thread instead of a worker thread. Only for operators that never block the event loop
   * (bash only awaits a child process, empty does nothing); they must honour ctx.signal.
   */
  inline?: boolean;
  /**
   * Never executed: the run loop sets the task to success itself, with no attempt and no log (Airflow's scheduler
   * does this for EmptyOperator). `execute` is then only for `dag tasks test`.
   */
  neverExecuted?: boolean;
  /**
   * Check the settings (environment variables) this operator reads, throwing a UserError naming the bad one. The CLI
   * calls it when a command that runs or creates runs starts, for the operators its DAGs use, so a typo in a setting
   * stops the command before a run exists instead of failing a task later.
   */
  checkSettings?(env: NodeJS.ProcessEnv): void;
  execute(args: A, ctx: TaskContext): Promise<unknown> | unknown;
}

/** Raise to end the attempt as `skipped` (Airflow's AirflowSkipException). */
export class SkipTask extends Error {
  constructor(message = 'skipped') {
    super(message);
    this.name = 'SkipTask';
  }
}

/** Raise to fail without using the remaining retries (Airflow's AirflowFailException). */
export class FailTask extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FailTask';
  }
}

/** A module that plugs operators in exports `operators`. Worker threads import it by URL. */
export interface OperatorPlugin {
  operators: OperatorDefinition[];
}
