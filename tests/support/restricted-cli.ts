// Running the real `dag` CLI where writes really fail: as a user without permission on a folder (root ignores
// permission bits, so as root the CLI runs as `nobody` through setpriv), or under a file size limit (`ulimit -f`:
// the kernel refuses writes past it with EFBIG, which Node reports instead of dying of SIGXFSZ).
import fs from 'node:fs';
import path from 'node:path';
import { CLI } from './paths.js';
import { runToEnd, type CliResult, type Workspace } from './cli.js';

const NOBODY = 65534;
export const isRoot = process.getuid?.() === 0;

/** Make `dir` and the folders above it traversable by another user (temporary folders are 0700). */
export function openToOthers(dir: string): void {
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
    const mode = fs.statSync(d).mode & 0o777;
    if ((mode & 0o005) !== 0o005) fs.chmodSync(d, mode | 0o005);
    if (d === '/tmp' || d === path.parse(d).root) break;
  }
}

/** A folder the CLI cannot write: as root, one owned by root that `nobody` runs against; else mode 0555. */
export function unwritable(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, isRoot ? 0o755 : 0o555);
}

export interface RestrictedOptions {
  /** Run without write permission on folders made with `unwritable` (as nobody when we are root). */
  unprivileged?: boolean;
  /** `ulimit -f` in KiB for the CLI and everything it starts. */
  fileSizeKiB?: number;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export function dagRestricted(ws: Workspace, args: string[], o: RestrictedOptions = {}): Promise<CliResult> {
  let argv = [process.execPath, CLI, ...args];
  if (o.fileSizeKiB !== undefined) argv = ['bash', '-c', `ulimit -f ${o.fileSizeKiB} && exec "$@"`, 'bash', ...argv];
  if (o.unprivileged && isRoot) argv = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', ...argv];
  return runToEnd(argv, { ...ws.env, ...o.env }, { timeoutMs: o.timeoutMs });
}
