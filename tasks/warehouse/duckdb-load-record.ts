// What the last load of a DuckDB warehouse was, beside the file (<warehouse>.windsock-load.json), so that loading the
// same star files again into an untouched warehouse does nothing: it would upsert the same dimension rows, put back
// the same fact rows and compute the same statistics from them.
//
// "The same" is a fingerprint of the load: the day, the sha256 of every star file (checked against the manifests
// first, as always) and the statements it runs. "Untouched" is the identity of the warehouse file as that load closed
// it: device, inode, size, mtime, ctime, and a hash of its first 12 KiB (DuckDB's main header and its two database
// headers, one of which every checkpoint rewrites with an iteration count one higher: DatabaseHeader in DuckDB's
// src/include/duckdb/storage/storage_info.hpp), with no write-ahead log beside it (a committed change not yet
// checkpointed lives there). Any other write to the warehouse, by windsock, a DuckDB shell or a copy over it, changes
// that identity, and the next load runs in full. The record is removed before a load opens the warehouse and written
// only once it closed it, all under the warehouse lock.
import { createHash, randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import type { LoadStarResult } from './warehouse.js';

const FORMAT = 'windsock.duckdb-load/1';
const HEADER_BYTES = 3 * 4096;

interface LoadRecord {
  format: typeof FORMAT;
  fingerprint: string;
  warehouse: string;
  result: LoadStarResult;
}

export const loadRecordPath = (file: string) => `${file}.windsock-load.json`;

/** Everything that would change if anything wrote the warehouse file; null when there is none, or a WAL beside it. */
async function fileIdentity(file: string): Promise<string | null> {
  if (await fsp.stat(`${file}.wal`).then(() => true, () => false)) return null;
  let fh;
  try {
    fh = await fsp.open(file, 'r');
  } catch {
    return null;
  }
  try {
    const st = await fh.stat({ bigint: true });
    const head = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await fh.read(head, 0, HEADER_BYTES, 0);
    const headSha = createHash('sha256').update(head.subarray(0, bytesRead)).digest('hex');
    return [st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs, headSha].join(':');
  } finally {
    await fh.close();
  }
}

/** The fingerprint of a load: what it reads (the day, each file's sha256) and what it runs. */
export function loadFingerprint(ds: string, sha256: Record<string, string>, statements: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify({ ds, sha256, statements })).digest('hex');
}

/** The result of the last load when it had this fingerprint and nothing has written the warehouse since. */
export async function unchangedSinceLoad(file: string, fingerprint: string): Promise<LoadStarResult | null> {
  let record: LoadRecord;
  try {
    record = JSON.parse(await fsp.readFile(loadRecordPath(file), 'utf8')) as LoadRecord;
  } catch {
    return null; // none, or unreadable: load in full
  }
  if (record?.format !== FORMAT || record.fingerprint !== fingerprint || !record.result) return null;
  const identity = await fileIdentity(file);
  return identity !== null && identity === record.warehouse ? record.result : null;
}

/** Before a load writes: no record may describe a warehouse that is about to change. */
export async function forgetLoad(file: string): Promise<void> {
  await fsp.rm(loadRecordPath(file), { force: true });
}

/** After a load has closed the warehouse. Best effort: without a record the next load runs in full. */
export async function rememberLoad(file: string, fingerprint: string, result: LoadStarResult): Promise<void> {
  const tmp = `${loadRecordPath(file)}.${randomBytes(6).toString('hex')}.new`;
  try {
    const warehouse = await fileIdentity(file);
    if (warehouse === null) return;
    const record: LoadRecord = { format: FORMAT, fingerprint, warehouse, result };
    await fsp.writeFile(tmp, JSON.stringify(record) + '\n');
    await fsp.rename(tmp, loadRecordPath(file));
  } catch {
    // a full disk, a read-only folder: the load itself succeeded
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
  }
}
