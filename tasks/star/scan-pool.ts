// Worker threads that hash and scan /hours pages in parallel; the transform reads their results in page order.
// On a single core, or once every worker has died, pages are hashed and scanned on the calling thread.
import fsp from 'node:fs/promises';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { RawSyntaxError, SchemaDriftError } from './raw-errors.js';
import { hashAndScan, type ScannedPage } from './scanned-page.js';
import type { ScanReply, ScanRequest } from './scan-worker.js';

export interface ScanResult {
  /** The file was not there (local reads only). */
  missing?: boolean;
  sha256: string;
  /** Bytes read. */
  size: number;
  /** The scan's failure, reported only once the caller has checked the checksum. */
  error?: Error;
  page?: ScannedPage;
}

export class ScanPool {
  private readonly workers: Worker[] = [];
  private readonly busy: number[] = [];
  /** Workers that errored or exited get no more requests; what they held is rejected. */
  private readonly dead = new Set<number>();
  private readonly waiting = new Map<number, { resolve: (r: ScanResult) => void; reject: (e: Error) => void; worker: number }>();
  private nextId = 1;

  constructor(size = Math.min(2, os.availableParallelism())) {
    if (size < 2) return; // one core: scanning inline is as fast and simpler
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./scan-worker.js', import.meta.url));
      w.on('message', (reply: ScanReply) => this.settle(reply));
      w.on('error', (err) => this.failAll(i, err));
      w.on('exit', (code) => this.failAll(i, new Error(`a scan worker exited (code ${code})`)));
      this.workers.push(w);
      this.busy.push(0);
    }
  }

  /** Whether pages are scanned off this thread (else `scanFile` and `scan` work inline). */
  get parallel(): boolean {
    return this.workers.length > this.dead.size;
  }

  /** Hash and scan `bytes` (the buffer is handed over: do not use it afterwards). */
  scan(bytes: Buffer, file: string, rows: number): Promise<ScanResult> {
    if (!this.parallel) return Promise.resolve(hashAndScan(bytes, file, rows));
    // a private copy when the Buffer is a slice of a shared pool, so the transfer cannot detach anything else
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : Buffer.from(bytes);
    return this.send({ id: 0, bytes: own, file, rows }, [own.buffer as ArrayBuffer]);
  }

  /** Read (a local file), hash and scan, all on a worker. */
  scanFile(path: string, file: string, rows: number): Promise<ScanResult> {
    if (!this.parallel) {
      return fsp.readFile(path).then(
        (bytes) => hashAndScan(bytes, file, rows),
        (err) => ((err as NodeJS.ErrnoException).code === 'ENOENT' ? { missing: true, sha256: '', size: 0 } : Promise.reject(err)),
      );
    }
    return this.send({ id: 0, path, file, rows }, []);
  }

  private send(req: ScanRequest, transfer: ArrayBuffer[]): Promise<ScanResult> {
    let w = -1;
    for (let i = 0; i < this.workers.length; i++) if (!this.dead.has(i) && (w < 0 || this.busy[i]! < this.busy[w]!)) w = i;
    req.id = this.nextId++;
    this.busy[w]!++;
    return new Promise((resolve, reject) => {
      this.waiting.set(req.id, { resolve, reject, worker: w });
      this.workers[w]!.postMessage(req, transfer);
    });
  }

  private settle(reply: ScanReply): void {
    const w = this.waiting.get(reply.id);
    if (!w) return;
    this.waiting.delete(reply.id);
    this.busy[w.worker]!--;
    if ('missing' in reply) w.resolve({ missing: true, sha256: '', size: 0 });
    else if ('page' in reply) w.resolve({ sha256: reply.sha256, size: reply.size, page: reply.page });
    else {
      const e = reply.error;
      const error = e.kind === 'drift' ? new SchemaDriftError(e.file, e.fieldPath, e.problem) : e.kind === 'syntax' ? Object.assign(new RawSyntaxError(e.file, e.offset, ''), { message: e.message }) : new Error(e.message);
      w.resolve({ sha256: reply.sha256, size: reply.size, error });
    }
  }

  private failAll(worker: number, err: Error): void {
    this.dead.add(worker);
    for (const [id, w] of this.waiting) {
      if (w.worker !== worker) continue;
      this.waiting.delete(id);
      w.reject(err);
    }
  }

  async close(): Promise<void> {
    for (let i = 0; i < this.workers.length; i++) this.dead.add(i); // terminating is not a failure
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
