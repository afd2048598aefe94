// How the `dag` command ends on an error: one line for what a user can fix (a UserError, a full disk, a folder
// without permission, a damaged state database), "windsock bug" with the stack for anything else. The same path
// serves errors thrown by a command and errors raised later in timers and callbacks (a heartbeat, a stray promise).
import path from 'node:path';
import { CommanderError } from 'commander';
import { fsProblem } from '../engine/storage-errors.js';
import { sqliteCode, stateDbError } from '../engine/state/db-errors.js';

/** Print `err` as the command's last word; returns the exit code (2: the user can fix it, 3: a bug). */
export function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    // commander already printed its message (unknown option, missing argument, --help, --version)
    return err.exitCode === 0 ? 0 : 2;
  }
  const e = (userFacing(err) ?? err) as Error & { hint?: string; exitCode?: number };
  if (e?.name === 'UserError') {
    process.stderr.write(`error: ${e.message}${e.hint ? `; ${e.hint}` : ''}\n`); // one line, what to do included
    return e.exitCode ?? 2;
  }
  // Anything else is a bug in windsock: say so, with the stack, so it can be reported.
  process.stderr.write(`windsock bug: ${e?.stack ?? String(err)}\n`);
  return 3;
}

/** End the process now with `err` reported (for errors outside any command's promise chain). */
export function exitWithError(err: unknown): never {
  process.exitCode = reportError(err);
  process.exit();
}

/** File-system codes that describe the machine, not a mistake in windsock. */
const ENVIRONMENT = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS', 'EACCES', 'EPERM', 'ENOTDIR', 'EIO', 'EMFILE', 'ENFILE']);

/** A storage failure that reached the top without being worded where it happened, as a one-line message. */
function userFacing(err: unknown): { name: string; message: string; hint?: string } | undefined {
  if (sqliteCode(err) !== undefined) {
    // windsock's only SQLite database is the state database
    const home = path.resolve(process.env.WINDSOCK_HOME || './.windsock');
    return stateDbError(err, path.join(home, 'windsock.db'), 'reading');
  }
  const fe = err as NodeJS.ErrnoException;
  const problem = fsProblem(err);
  if (!problem || !ENVIRONMENT.has(fe.code!)) return undefined;
  const where = fe.path ? ` ${fe.path}` : '';
  return {
    name: 'UserError',
    message: `cannot ${fe.syscall ?? 'use'}${where}: ${problem}`,
    hint: fe.code === 'ENOSPC' || fe.code === 'EDQUOT' || fe.code === 'EFBIG' ? 'free space (or raise the limit), then run the command again' : 'check the path and its permissions, then run the command again',
  };
}
