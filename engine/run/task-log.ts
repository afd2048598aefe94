// Attempt logs, in Airflow's layout: $WINDSOCK_HOME/logs/dag_id=D/run_id=R/task_id=T/attempt=N.log.
import path from 'node:path';
import type { TaskLogger } from '../operators/api.js';
import { redact } from '../log.js';
import { checkName, LOG_FOLDER_PREFIX, MAX_COMPONENT_BYTES } from '../dag/names.js';
import { logWriter } from './log-writer.js';

export interface AttemptKey {
  dagId: string;
  runId: string;
  taskId: string;
  tryNumber: number;
}

/**
 * The attempt's log file, built only from valid names (engine/dag/names.ts), so it can neither leave `$home/logs`
 * nor have a component the filesystem refuses. Throws when a name is not valid.
 */
export function attemptLogPath(home: string, dagId: string, runId: string, taskId: string, tryNumber: number): string {
  const problem = checkName('DAG id', dagId) ?? checkName('run id', runId) ?? checkName('task id', taskId);
  if (problem) throw new Error(`no attempt log for this task: ${problem}`);
  if (!Number.isSafeInteger(tryNumber) || tryNumber < 0) throw new Error(`no attempt log for try number ${tryNumber}: not a whole number >= 0`);
  const parts = [
    `${LOG_FOLDER_PREFIX['DAG id']}${dagId}`,
    `${LOG_FOLDER_PREFIX['run id']}${runId}`,
    `${LOG_FOLDER_PREFIX['task id']}${taskId}`,
    `attempt=${tryNumber}.log`,
  ];
  const root = path.resolve(home, 'logs');
  const file = path.join(root, ...parts);
  const rel = path.relative(root, file);
  // Valid names make both impossible; the checks stay so that a change to the alphabet cannot open a hole.
  if (rel.startsWith('..') || path.isAbsolute(rel) || rel.split(path.sep).length !== parts.length) throw new Error(`attempt log ${file} is outside ${root}`);
  const long = parts.find((p) => Buffer.byteLength(p) > MAX_COMPONENT_BYTES);
  if (long) throw new Error(`attempt log folder name ${long.slice(0, 40)}... is longer than ${MAX_COMPONENT_BYTES} bytes`);
  return file;
}

export type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * A task logger writing `[time] {LEVEL} message` lines to the attempt's file (and optionally echoing them). The
 * folder, the file and the lines are written by the log writer thread (log-writer.ts), a batch per turn of the
 * event loop: with thousands of short tasks, an fs call per mkdir, open and line was most of the runner's time.
 * Lines written before the file is open are queued in order; `close()` resolves once every line is on disk. A log
 * that cannot be written is not ignored: `opened` says why, and the executor fails the attempt before it starts (a
 * task never succeeds without its log).
 */
export class AttemptLog implements TaskLogger {
  private failure: string | null = null;
  private readonly id: number | undefined;
  private ended = false;
  private readonly done: Promise<void>;
  /** Resolves once the file is open: null, or why the log cannot be written. */
  readonly opened: Promise<string | null>;

  /** The log of one attempt under `$home/logs`; invalid names make a log that reports why it cannot be written. */
  static forAttempt(home: string, a: AttemptKey, echo?: (line: string) => void): AttemptLog {
    try {
      return new AttemptLog(attemptLogPath(home, a.dagId, a.runId, a.taskId, a.tryNumber), echo);
    } catch (err) {
      return new AttemptLog('', echo, (err as Error).message);
    }
  }

  constructor(
    readonly file: string,
    private readonly echo?: (line: string) => void,
    refused?: string,
  ) {
    if (refused) {
      this.failure = refused;
      this.opened = Promise.resolve(refused);
      this.done = Promise.resolve();
      return;
    }
    let opened!: (why: string | null) => void;
    let closed!: () => void;
    this.opened = new Promise((r) => (opened = r));
    this.done = new Promise((r) => (closed = r));
    this.id = logWriter.open(file, {
      opened: (err) => opened(err ? (this.failure ??= cannotWrite(file, err)) : null),
      failed: (err) => void (this.failure ??= cannotWrite(file, err)),
      closed,
    });
  }

  /** Why the log could not be written (so far), or null. */
  problem(): string | null {
    return this.failure;
  }

  write(level: Level, msg: string, fields?: Record<string, unknown>): void {
    const extra = fields && Object.keys(fields).length ? ' ' + JSON.stringify(fields) : '';
    const line = redact(`[${new Date().toISOString()}] {${level.toUpperCase()}} ${msg}${extra}`);
    if (this.id !== undefined && !this.ended && this.failure === null) logWriter.write(this.id, line + '\n');
    this.echo?.(line);
  }

  debug(msg: string, fields?: Record<string, unknown>) {
    this.write('debug', msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>) {
    this.write('info', msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>) {
    this.write('warn', msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>) {
    this.write('error', msg, fields);
  }

  /** Flush and close; lines written afterwards are dropped (the attempt is over). */
  close(): Promise<void> {
    if (this.id !== undefined && !this.ended) {
      this.ended = true;
      logWriter.close(this.id);
    }
    return this.done;
  }
}

function cannotWrite(file: string, err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return `cannot write the attempt log ${file}: ${code ?? err.message.split('\n')[0]}; check that WINDSOCK_HOME is writable and has space`;
}
