// A scan worker: reads (from a local lake), hashes (sha256) and scans a raw /hours page into columns, off the
// transform's thread.
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { RawSyntaxError, SchemaDriftError } from './raw-errors.js';
import { hashAndScan, transferables } from './scanned-page.js';

export interface ScanRequest {
  id: number;
  /** The page's bytes, or the local file to read them from (a file:// lake: read here, into a reused buffer). */
  bytes?: Uint8Array;
  path?: string;
  file: string;
  rows: number;
}

export type ScanReply =
  | { id: number; missing: true }
  | { id: number; sha256: string; size: number; page: import('./scanned-page.js').ScannedPage }
  | { id: number; sha256: string; size: number; error: { kind: 'drift'; file: string; fieldPath: string; problem: string } | { kind: 'syntax'; file: string; offset: number; message: string } | { kind: 'other'; message: string } };

let reused = Buffer.alloc(1 << 20);

/** The whole file, in a buffer reused from page to page (no garbage per page). */
function readLocal(path: string): Uint8Array | undefined {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (reused.length < size) reused = Buffer.alloc(Math.max(size, reused.length * 2));
    let n = 0;
    while (n < size) {
      const got = fs.readSync(fd, reused, n, size - n, n);
      if (got === 0) break;
      n += got;
    }
    return reused.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

parentPort!.on('message', (req: ScanRequest) => {
  const bytes = req.bytes ?? readLocal(req.path!);
  if (!bytes) {
    parentPort!.postMessage({ id: req.id, missing: true } satisfies ScanReply);
    return;
  }
  const { sha256, size, page, error: err } = hashAndScan(bytes, req.file, req.rows);
  if (page) parentPort!.postMessage({ id: req.id, sha256, size, page } satisfies ScanReply, transferables(page));
  else {
    const error =
      err instanceof SchemaDriftError
        ? { kind: 'drift' as const, file: err.file, fieldPath: err.fieldPath, problem: err.problem }
        : err instanceof RawSyntaxError
          ? { kind: 'syntax' as const, file: err.file, offset: err.offset, message: err.message }
          : { kind: 'other' as const, message: (err as Error).stack ?? String(err) };
    parentPort!.postMessage({ id: req.id, sha256, size, error } satisfies ScanReply);
  }
});
