// Attempt log files are written by one thread of their own (log-writer-main.ts). With thousands of short tasks, an
// fs call (and its callback) per mkdir, open, line and close was a large share of the runner's thread; here the
// operations of one turn of the event loop go over in one message and come back answered in one message.
import { Worker } from 'node:worker_threads';

export type LogOp = { kind: 'open'; id: number; file: string } | { kind: 'write'; id: number; text: string } | { kind: 'close'; id: number };

export interface LogReply {
  opened: number[];
  closed: number[];
  failed: { id: number; code?: string; message: string }[];
}

export interface LogFileEvents {
  /** The file is open (null) or could not be opened or written (the error). */
  opened(err: NodeJS.ErrnoException | null): void;
  /** A write failed after the file opened. */
  failed(err: NodeJS.ErrnoException): void;
  /** Every line is on disk and the file is closed. */
  closed(): void;
}

class LogWriter {
  private worker?: Worker;
  private ops: LogOp[] = [];
  private flushQueued = false;
  private inFlight = 0;
  private nextId = 1;
  private readonly files = new Map<number, LogFileEvents & { open: boolean }>();

  open(file: string, events: LogFileEvents): number {
    const id = this.nextId++;
    this.files.set(id, { ...events, open: false });
    this.push({ kind: 'open', id, file });
    return id;
  }

  write(id: number, text: string): void {
    const last = this.ops[this.ops.length - 1];
    // Consecutive lines of one log travel as one write.
    if (last?.kind === 'write' && last.id === id) last.text += text;
    else this.push({ kind: 'write', id, text });
  }

  close(id: number): void {
    this.push({ kind: 'close', id });
  }

  private push(op: LogOp): void {
    this.ops.push(op);
    if (this.flushQueued) return;
    this.flushQueued = true;
    // A microtask: what one scheduling pass launches (its synchronous run) goes over as one batch, without waiting
    // for another turn of the event loop.
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushQueued = false;
    const ops = this.ops;
    this.ops = [];
    if (!ops.length) return;
    const w = (this.worker ??= this.start());
    if (this.inFlight++ === 0) w.ref(); // answers are awaited: keep the process alive until they come
    w.postMessage(ops);
  }

  private start(): Worker {
    const w = new Worker(new URL('./log-writer-main.js', import.meta.url), { stdout: false, stderr: false });
    w.unref();
    w.on('message', (r: LogReply) => {
      if (--this.inFlight === 0) w.unref();
      for (const f of r.failed) {
        const file = this.files.get(f.id);
        const err = Object.assign(new Error(f.message), { code: f.code });
        if (!file) continue;
        if (file.open) file.failed(err);
        else {
          file.open = true; // answered: later writes are dropped by the log
          file.opened(err);
        }
      }
      for (const id of r.opened) {
        const file = this.files.get(id);
        if (file && !file.open) {
          file.open = true;
          file.opened(null);
        }
      }
      for (const id of r.closed) {
        this.files.get(id)?.closed();
        this.files.delete(id);
      }
    });
    // The thread itself failing (it should not): every log waiting on it fails rather than hangs.
    const fail = (err: Error) => {
      this.worker = undefined;
      this.inFlight = 0;
      for (const [id, f] of this.files) {
        if (f.open) f.failed(err);
        else f.opened(err);
        f.closed();
        this.files.delete(id);
      }
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`the attempt log writer thread exited (code ${code})`)));
    return w;
  }
}

/** The process's one log writer. */
export const logWriter = new LogWriter();
