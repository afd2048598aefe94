// The columns of one scanned /hours page, as they travel from a scan worker back to the transform: one Float64Array
// holding five columns back to back (a single transferable buffer per page: no row objects, no copies).
import { createHash } from 'node:crypto';
import { scanHoursPage } from './hours-page-scanner.js';

export interface ScannedPage {
  rows: number;
  /** value (NaN when null: JSON has no NaN), parameter id, period start ms, period end ms, coverage (NaN when null). */
  data: Float64Array;
}

/** Scans a page into columns; rejects like scanHoursPage (SchemaDriftError, RawSyntaxError). */
export function scanToColumns(bytes: Uint8Array, file: string, expectedRows: number): ScannedPage {
  let cap = Math.max(16, expectedRows);
  let cols = new Float64Array(5 * cap);
  const rows = scanHoursPage(bytes, file, (i, v, _isNull, pid, from, to, cov) => {
    if (i >= cap) {
      const bigger = new Float64Array(5 * cap * 2);
      for (let c = 0; c < 5; c++) bigger.set(cols.subarray(c * cap, (c + 1) * cap), c * cap * 2);
      cols = bigger;
      cap *= 2;
    }
    cols[i] = v;
    cols[cap + i] = pid;
    cols[2 * cap + i] = from;
    cols[3 * cap + i] = to;
    cols[4 * cap + i] = cov;
  });
  if (rows === cap) return { rows, data: cols };
  const data = new Float64Array(5 * rows);
  for (let c = 0; c < 5; c++) data.set(cols.subarray(c * cap, c * cap + rows), c * rows);
  return { rows, data };
}

export function transferables(p: ScannedPage): ArrayBuffer[] {
  return [p.data.buffer as ArrayBuffer];
}

/** A page's sha256 and size, and its columns or the reason it could not be scanned (checked only after the hash). */
export function hashAndScan(bytes: Uint8Array, file: string, rows: number): { sha256: string; size: number; page?: ScannedPage; error?: Error } {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  try {
    return { sha256, size: bytes.length, page: scanToColumns(bytes, file, rows) };
  } catch (err) {
    return { sha256, size: bytes.length, error: err as Error };
  }
}
