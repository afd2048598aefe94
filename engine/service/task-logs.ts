// Reading a task attempt's log, from a byte offset, for the web server's log endpoint (and anything else that tails
// one). The file is found only through attemptLogPath (valid names, under $WINDSOCK_HOME/logs) and is opened only
// when its real path, symlinks resolved, is still under that folder: a task cannot make the server read elsewhere
// by replacing its log with a link.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Store } from '../state/store.js';
import { attemptLogPath } from '../run/task-log.js';

export interface LogKey {
  dagId: string;
  runId: string;
  taskId: string;
  mapIndex: number;
  tryNumber: number;
}

export type LogRead =
  | { kind: 'no_task' }
  | { kind: 'no_try'; tries: number }
  | { kind: 'no_file' }
  | { kind: 'ok'; text: string; nextOffset: number; endOfLog: boolean };

/**
 * The log text after byte `offset`, at most `maxBytes` of it, cut after the last complete line unless the attempt
 * is over and the end of the file is reached; `endOfLog` once the attempt is over and everything has been read.
 */
export async function readTaskLog(store: Store, home: string, k: LogKey, o: { offset: number; maxBytes: number }): Promise<LogRead> {
  const ti = k.mapIndex === -1 ? store.tis.get(k) : undefined;
  if (!ti) return { kind: 'no_task' };
  if (k.tryNumber < 1 || k.tryNumber > ti.try_number) return { kind: 'no_try', tries: ti.try_number };
  const running = ti.state === 'running' && k.tryNumber === ti.try_number;
  let file: string;
  try {
    file = attemptLogPath(home, k.dagId, k.runId, k.taskId, k.tryNumber);
  } catch {
    return { kind: 'no_task' };
  }
  const chunk = await readChunk(path.resolve(home, 'logs'), file, o.offset, o.maxBytes, !running);
  if (!chunk) return running ? { kind: 'ok', text: '', nextOffset: o.offset, endOfLog: false } : { kind: 'no_file' };
  return { kind: 'ok', text: chunk.text, nextOffset: chunk.next, endOfLog: !running && chunk.next >= chunk.size };
}

/** Bytes [offset, offset + maxBytes) of `file`, ending on a line break unless `final` and at the end; null when absent. */
export async function readChunk(root: string, file: string, offset: number, maxBytes: number, final: boolean): Promise<{ text: string; next: number; size: number } | null> {
  let real: string;
  try {
    real = await fsp.realpath(file);
    const realRoot = await fsp.realpath(root);
    if (!real.startsWith(realRoot + path.sep)) return null;
  } catch {
    return null;
  }
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(real, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch {
    return null;
  }
  try {
    const { size } = await fh.stat();
    const from = Math.min(offset, size);
    const length = Math.min(size - from, maxBytes);
    const buf = Buffer.alloc(length);
    const { bytesRead } = length ? await fh.read(buf, 0, length, from) : { bytesRead: 0 };
    let used = bytesRead;
    const atEnd = from + bytesRead >= size;
    if (!(final && atEnd)) {
      const lastBreak = buf.lastIndexOf(0x0a, bytesRead - 1);
      // a line longer than the whole chunk is given as it is rather than never
      if (lastBreak >= 0) used = lastBreak + 1;
      else if (bytesRead < maxBytes) used = 0;
    }
    return { text: buf.subarray(0, used).toString('utf8'), next: from + used, size };
  } finally {
    await fh.close();
  }
}
