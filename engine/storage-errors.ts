// What a failed file-system call means for the person at the keyboard: the operating system's error codes in words,
// so that "the disk is full" or "permission denied" reach them as one line instead of a stack trace.

/** The file-system codes a user's machine produces (full disk, permissions, a file where a folder should be...). */
const FS_PROBLEMS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file would exceed the file size limit (ulimit -f)',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file is in the way where a folder should be',
  EISDIR: 'it is a folder, not a file',
  ENOENT: 'no such file or folder',
  EIO: 'an input/output error (a failing disk?)',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files on the system',
};

/** The problem a Node file-system error describes, or undefined when it is not one (then it is a bug of ours). */
export function fsProblem(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !FS_PROBLEMS[code]) return undefined;
  return `${FS_PROBLEMS[code]} (${code})`;
}

