// Attempt logs, in Airflow's layout: $WINDSOCK_HOME/logs/dag_id=D/run_id=R/task_id=T/attempt=N.log.
import fs from 'node:fs';
import path from 'node:path';
import type { TaskLogger } from '../operators/api.js';
import { redact } from '../log.js';

export function attemptLogPath(home: string, dagId: string, runId: string, taskId: string, tryNumber: number): string {
  return path.join(home, 'logs', `dag_id=${dagId}`, `run_id=${runId}`, `task_id=${taskId}`, `attempt=${tryNumber}.log`);
}

export type Level = 'debug' | 'info' | 'warn' | 'error';

/** A task logger writing `[time] {LEVEL} message` lines to the attempt's file (and optionally echoing them). */
export class AttemptLog implements TaskLogger {
  private readonly fd: number;

  constructor(
    readonly file: string,
    private readonly echo?: (line: string) => void,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'a');
  }

  write(level: Level, msg: string, fields?: Record<string, unknown>): void {
    const extra = fields && Object.keys(fields).length ? ' ' + JSON.stringify(fields) : '';
    const line = redact(`[${new Date().toISOString()}] {${level.toUpperCase()}} ${msg}${extra}`);
    try {
      fs.writeSync(this.fd, line + '\n');
    } catch {
      // the file was closed under us (attempt already over): the line is late, drop it
    }
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

  close(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}
