// A DAG or defaults file's text, read so that no file can stall or flood the loader: the file type is checked on
// the open descriptor (a FIFO named x.yaml would block a plain read forever), the size is capped, and the text must
// be what YAML accepts (UTF-8, no control characters), so a binary file is one problem instead of pages of noise.
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import { MAX_FILE_BYTES } from './limits.js';
import { Source } from './located.js';
import type { Problems } from './problems.js';

export type FileText =
  | { ok: true; text: string }
  /** `at`: the character offset in `text` the problem is at, when there is one. `code`: the errno of a failed open. */
  | { ok: false; message: string; code?: string; text?: string; at?: number };

/** The file as a Source, or null after reporting in `problems` why it cannot be one. */
export function readSource(file: string, problems: Problems, read = readFileText(file)): Source | null {
  if (read.ok) return new Source(file, read.text);
  problems.add(read.text !== undefined && read.at !== undefined ? { src: new Source(file, read.text), offset: read.at } : undefined, read.message);
  return null;
}

export function readFileText(file: string): FileText {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer; on a regular file it changes nothing
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, code, message: `cannot read the file: ${OPEN_ERRORS[code ?? ''] ?? code ?? (err as Error).message}` };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { ok: false, code: st.isDirectory() ? 'EISDIR' : undefined, message: `${fileType(st)}, not a file: a DAG file is a regular YAML file (rename it or move it out of the DAGs folder)` };
    if (st.size > MAX_FILE_BYTES) return tooBig(st.size, true);
    const bytes = readAtMost(fd, MAX_FILE_BYTES + 1); // the file may have grown since fstat
    if (bytes.length > MAX_FILE_BYTES) return tooBig(bytes.length, false);
    return checkText(bytes);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, code, message: `cannot read the file: ${code ?? (err as Error).message}` };
  } finally {
    fs.closeSync(fd);
  }
}

/** Bytes as YAML text: valid UTF-8 holding only characters YAML allows (YAML 1.2 §5.1, c-printable). */
export function checkText(bytes: Buffer): FileText {
  const text = bytes.toString('utf8');
  if (!isUtf8(bytes)) {
    const at = firstInvalid(bytes, text);
    const byte = bytes[Buffer.byteLength(text.slice(0, at))];
    return { ok: false, text, at, message: `the file is not UTF-8 text (byte 0x${byte.toString(16).padStart(2, '0').toUpperCase()}): is it a binary file? DAG files are YAML saved as UTF-8` };
  }
  const bad = NOT_PRINTABLE.exec(text);
  if (bad) {
    const code = bad[0].charCodeAt(0);
    const name = `U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
    const message = code === 0
      ? 'the file holds a NUL byte: is it a binary file? DAG files are YAML text'
      : `the file holds the control character ${name}, which YAML does not allow: remove it (inside a double-quoted string, write it as an escape like \\x1b)`;
    return { ok: false, text, at: bad.index, message };
  }
  return { ok: true, text };
}

// Everything outside c-printable: C0 controls but tab, LF and CR; DEL; C1 controls but NEL; U+FFFE and U+FFFF.
const NOT_PRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/;

/** The character offset of the first byte sequence that is not UTF-8 (a U+FFFD that the file really holds is fine). */
function firstInvalid(bytes: Buffer, text: string): number {
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) {
    const b = Buffer.byteLength(text.slice(0, i));
    if (!(bytes[b] === 0xef && bytes[b + 1] === 0xbf && bytes[b + 2] === 0xbd)) return i;
  }
  return 0;
}

function readAtMost(fd: number, max: number): Buffer {
  const buf = Buffer.alloc(Math.min(max, 64 * 1024));
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const n = fs.readSync(fd, buf, 0, Math.min(buf.length, max - total), null);
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
    total += n;
    if (total >= max) break;
  }
  return Buffer.concat(chunks, total);
}

function tooBig(size: number, exact: boolean): FileText {
  const n = (b: number) => b.toLocaleString('en-US');
  const mib = MAX_FILE_BYTES / 1024 / 1024;
  return { ok: false, message: `the file holds ${exact ? '' : 'over '}${n(exact ? size : MAX_FILE_BYTES)} bytes, more than the ${n(MAX_FILE_BYTES)} (${mib} MiB) a DAG file may hold: split it into several files, or move data out of the DAGs folder` };
}

function fileType(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'a special file';
}

const OPEN_ERRORS: Record<string, string> = {
  ENOENT: 'it does not exist (a symlink to a missing file?)',
  ELOOP: 'a symlink loop (the link points back at itself)',
  EACCES: 'permission denied (make it readable by the user running windsock)',
  EPERM: 'permission denied (make it readable by the user running windsock)',
  ENAMETOOLONG: 'the path is too long',
};
