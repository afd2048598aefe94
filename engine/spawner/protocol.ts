// The messages between the runner and its spawner process (forker-py.ts, or main.ts without python3): one JSON
// object per line, runner -> spawner on the spawner's stdin, spawner -> runner on its stdout. The spawner's stdin
// closing means its runner is gone.

/** Runner -> spawner. */
export type ToSpawner =
  /** Start `bash -c command`, tethered, in its own process group. */
  | { t: 'run'; id: number; command: string; env: Record<string, string>; cwd?: string }
  /** Signal the command's process group. */
  | { t: 'kill'; id: number; sig: NodeJS.Signals };

/** Spawner -> runner. */
export type FromSpawner =
  /** The spawner listens: requests written before this one wait in the runner. */
  | { t: 'ready' }
  | { t: 'started'; id: number; pid: number }
  /** Bytes of the command's stdout (fd 1) or stderr (fd 2), base64; the runner decodes each stream as UTF-8. */
  | { t: 'out'; id: number; fd: 1 | 2; b: string }
  /** bash could not be started (a missing cwd, say); an `exit` follows. */
  | { t: 'error'; id: number; message: string }
  /** The command ended and its output is all sent. */
  | { t: 'exit'; id: number; code: number | null; signal: NodeJS.Signals | null };
