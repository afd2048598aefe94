// Attempt logs, in Airflow's layout: $WINDSOCK_HOME/logs/dag_id=D/run_id=R/task_id=T/attempt=N.log.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { TaskLogger } from '../operators/api.js';
import { redact } from '../log.js';

export function attemptLogPath(home: string, dagId: string, runId: string, taskId: string, tryNumber: number): string {
  return path.join(home, 'logs', `dag_id=${dagId}`, `run_id=${runId}`, `task_id=${taskId}`, `attempt=${tryNumber}.log`);
}

export type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * A task logger writing `[time] {LEVEL} message` lines to the attempt's file (and optionally echoing them). The
 * folder and file are made off the main thread: with thousands of short tasks, synchronous mkdir and open were most
 * of the runner's time. Lines written before the file is open are queued in order; `close()` resolves once every
 * line is on disk.
 */
export class AttemptLog implements TaskLogger {
  private readonly stream: Promise<fs.WriteStream | null>;

  constructor(
    readonly file: string,
    private readonly echo?: (line: string) => void,
  ) {
    this.stream = fsp.mkdir(path.dirname(file), { recursive: true }).then(
      () =>
        new Promise<fs.WriteStream | null>((resolve) => {
          const s = fs.createWriteStream(file, { flags: 'a' });
          s.once('open', () => resolve(s));
          s.once('error', () => resolve(null)); // an unwritable log never fails the task
        }),
      () => null,
    );
  }

  write(level: Level, msg: string, fields?: Record<string, unknown>): void {
    const extra = fields && Object.keys(fields).length ? ' ' + JSON.stringify(fields) : '';
    const line = redact(`[${new Date().toISOString()}] {${level.toUpperCase()}} ${msg}${extra}`);
    void this.stream.then((s) => {
      if (s && !s.writableEnded) s.write(line + '\n');
    });
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
    return this.stream.then((s) => (s && !s.writableEnded ? new Promise<void>((resolve) => s.end(resolve)) : undefined));
  }
}
