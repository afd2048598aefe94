// The messages between the runner and its spawner process (spawner/main.ts), over Node's IPC channel.

/** Runner -> spawner. */
export type ToSpawner =
  /** Start `bash -c command`, tethered, in its own process group. */
  | { t: 'run'; id: number; command: string; env: Record<string, string>; cwd?: string }
  /** Signal the command's process group. */
  | { t: 'kill'; id: number; sig: NodeJS.Signals };

/** Spawner -> runner. */
export type FromSpawner =
  /** The spawner listens: messages sent before this one would be lost while its module loads. */
  | { t: 'ready' }
  | { t: 'started'; id: number; pid: number }
  /** A piece of the command's stdout or stderr (decoded as UTF-8, characters never split). */
  | { t: 'out'; id: number; s: string }
  /** bash could not be started (a missing cwd, say). */
  | { t: 'error'; id: number; message: string }
  /** The command ended and its output is all sent. */
  | { t: 'exit'; id: number; code: number | null; signal: NodeJS.Signals | null };
