// An attempt's log read by byte ranges, so a 50 MB log costs one page (256 KiB) per request: the page opens on the
// last page, older pages are links, and the live tail asks only for the bytes after the ones it has.
import fs from 'node:fs';
import { attemptLogPath } from '../../../../engine/run/task-log.js';

export const LOG_PAGE_BYTES = 256 * 1024;

export interface LogSlice {
  text: string;
  /** Byte offsets of the slice in the file: [from, to). */
  from: number;
  to: number;
  size: number;
}

/** The file of an attempt's log, or null when the names cannot make one. */
export function logFile(home: string, dagId: string, runId: string, taskId: string, tryNumber: number): string | null {
  try {
    return attemptLogPath(home, dagId, runId, taskId, tryNumber);
  } catch {
    return null;
  }
}

export function logSize(file: string): number | null {
  try {
    return fs.statSync(file).size;
  } catch {
    return null;
  }
}

/**
 * Bytes [from, from + max) of the file, cut back to whole lines: a slice that starts inside a line skips to the
 * next one (unless it is the tail after bytes the reader already has), and one that ends inside a line stops before it
 * (unless that is the end of the file, `keepEnd` is asked, or the slice holds no line end to stop at).
 */
export function readSlice(file: string, from: number, max = LOG_PAGE_BYTES, opts: { alignStart?: boolean; keepEnd?: boolean } = {}): LogSlice | null {
  const size = logSize(file);
  if (size === null) return null;
  const start = Math.max(0, Math.min(from, size));
  const end = Math.min(size, start + max);
  const buf = Buffer.alloc(end - start);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, buf, 0, buf.length, start);
  } finally {
    fs.closeSync(fd);
  }
  let lo = 0;
  if (opts.alignStart && start > 0) {
    const nl = buf.indexOf(10);
    lo = nl < 0 ? buf.length : nl + 1;
  }
  let hi = buf.length;
  if (end < size && !opts.keepEnd) {
    // A line longer than the slice: its bytes as they are (cut mid-line), not nothing, which would leave a reader
    // moving forward asking for the same empty slice for ever.
    const nl = buf.lastIndexOf(10);
    if (nl >= lo) hi = nl + 1;
  }
  return { text: buf.subarray(lo, hi).toString('utf8'), from: start + lo, to: start + hi, size };
}

/** The page that ends at the end of the file. */
export function lastPage(file: string): LogSlice | null {
  const size = logSize(file);
  if (size === null) return null;
  return pageBefore(file, size);
}

/**
 * The page that ends at byte `end` (a line start: where a slice the reader has begins), starting on a whole line:
 * what the log view asks for when its reader scrolls above the lines it has.
 */
export function pageBefore(file: string, end: number): LogSlice | null {
  const size = logSize(file);
  if (size === null) return null;
  const to = Math.min(end, size);
  const from = Math.max(0, to - LOG_PAGE_BYTES);
  // The end is kept as asked (it is where the reader's next slice begins, even inside a long line), so the slices
  // meet with no bytes between them.
  const slice = readSlice(file, from, to - from, { alignStart: true, keepEnd: true });
  // A line longer than a page: its end, rather than nothing (which would leave the reader stuck above it).
  return slice && slice.from === slice.to && from < to ? readSlice(file, from, to - from, { keepEnd: true }) : slice;
}
