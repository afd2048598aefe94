// Failures of the state database that a user can fix (a full disk, a read-only or misplaced home, a damaged or
// foreign file), turned into one UserError saying what and what to do. Anything else stays what it is: a bug.
import fs from 'node:fs';
import path from 'node:path';
import { fsProblem } from '../storage-errors.js';
import { UserError } from '../types.js';

/** An error of the state database that the user can fix. Thrown where it happens; printed once by the CLI. */
export class StateDbError extends UserError {
  constructor(
    message: string,
    hint: string,
    /** The process cannot record state any more: a command driving runs must stop. */
    readonly fatal: boolean,
  ) {
    super(message, hint);
  }
}

export const sqliteCode = (err: unknown): string | undefined => {
  const e = err as { name?: string; code?: unknown } | undefined;
  return e?.name === 'SqliteError' && typeof e.code === 'string' ? e.code : undefined;
};


/**
 * What a failure on the state database `file` means, as a StateDbError; undefined when it is not a storage problem.
 * `doing` says when it happened ("opening", "writing").
 */
export function stateDbError(err: unknown, file: string, doing: 'opening' | 'writing' | 'reading' = 'writing'): StateDbError | undefined {
  if (err instanceof StateDbError) return err;
  const home = path.dirname(file);
  const again = 'then run the command again (an interrupted run resumes where it stopped)';
  const damaged = `restore it from a backup, or move it away (mv ${file} ${file}.damaged) to start afresh with an empty history`;
  const unwritable = `make ${home} writable by this user, or set WINDSOCK_HOME (or --home) to a folder that is`;
  const code = sqliteCode(err);
  if (code === undefined) {
    const problem = fsProblem(err);
    if (!problem) return undefined;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') return new StateDbError(`WINDSOCK_HOME ${home} is not a folder: ${problem}`, 'set WINDSOCK_HOME (or --home) to a folder', false);
    if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') return new StateDbError(`cannot write the state database ${file}: ${problem}`, `free space on the disk holding ${home}, ${again}`, true);
    return new StateDbError(`cannot use the state database ${file}: ${problem}`, code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? unwritable : again, true);
  }
  const what = `${(err as Error).message} (${code})`;
  if (code === 'SQLITE_FULL') return new StateDbError(`cannot write the state database ${file}: the disk is full (${code})`, `free space on the disk holding ${home}, ${again}`, true);
  if (code.startsWith('SQLITE_IOERR')) {
    // SQLite words a full disk, a file size limit and a failing disk alike: look at the disk
    const why = diskIsFull(home) ? `the disk is full (${what})` : what;
    return new StateDbError(
      `cannot ${doing === 'opening' ? 'open' : 'write'} the state database ${file}: ${why}`,
      `free space on the disk holding ${home} (or lift the file size limit, ulimit -f) and check the disk is healthy, ${again}`,
      true,
    );
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StateDbError(`the state database ${file} is damaged or is not a windsock database: ${what}`, damaged, true);
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return new StateDbError(`cannot write the state database ${file}: ${what}`, unwritable, true);
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) return new StateDbError(`the state database ${file} is a folder, not a database file`, `move it away (mv ${file} ${file}.folder) or set WINDSOCK_HOME (or --home) to another folder`, true);
    return new StateDbError(`cannot open the state database ${file}: ${whyCannotOpen(file)}`, unwritable, true);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StateDbError(`the state database ${file} stayed locked by another process: ${what}`, 'wait for the other windsock command to finish, then run this one again', false);
  }
  return undefined;
}

/** Why WINDSOCK_HOME could not be made, as a StateDbError; undefined when it is not a file-system problem. */
export function homeFolderError(err: unknown, home: string): StateDbError | undefined {
  const problem = fsProblem(err);
  if (!problem) return undefined;
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EEXIST' || e.code === 'ENOTDIR') return new StateDbError(`WINDSOCK_HOME ${home} is not a folder: ${problem}`, 'set WINDSOCK_HOME (or --home) to a folder', false);
  const at = e.path && e.path !== home ? ` at ${e.path}` : '';
  return new StateDbError(`cannot create WINDSOCK_HOME ${home}: ${problem}${at}`, 'create it with permission for this user, or set WINDSOCK_HOME (or --home) to a folder you can write', false);
}

/** SQLite says only "unable to open database file": look at the path to say why. */
function whyCannotOpen(file: string): string {
  const home = path.dirname(file);
  const st = fs.statSync(file, { throwIfNoEntry: false });
  try {
    fs.accessSync(home, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    return `${home} is not writable (${fsProblem(err) ?? (err as Error).message})`;
  }
  if (st) {
    try {
      fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
    } catch (err) {
      return `the file cannot be read and written (${fsProblem(err) ?? (err as Error).message})`;
    }
  }
  return 'SQLite could not open it (SQLITE_CANTOPEN)';
}

/** Whether the file system holding `dir` has (almost) no space left for this user. */
function diskIsFull(dir: string): boolean {
  try {
    const st = fs.statfsSync(dir);
    return st.bavail * st.bsize < 1024 * 1024;
  } catch {
    return false;
  }
}
