// The runner's side of the spawner (main.ts): one spawner process per runner, started on the first bash task and
// started again after it dies. A command whose spawner dies is killed with it (its tether) and ends here through
// `onLost`, so its attempt fails through the normal failure path (up_for_retry or failed, with the reason).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromSpawner, ToSpawner } from './protocol.js';

export interface CommandSpec {
  command: string;
  env: Record<string, string>;
  cwd?: string;
}

export interface CommandHandlers {
  output(s: string): void;
  /** bash could not be started. */
  error(message: string): void;
  exit(code: number | null, signal: NodeJS.Signals | null): void;
  /** The spawner died while the command ran; the command died with it. */
  lost(reason: string): void;
}

export interface RunningCommand {
  /** Signal the command's process group. */
  kill(sig: NodeJS.Signals): void;
}

interface Pending {
  handlers: CommandHandlers;
  pid?: number;
}

class SpawnerProcess {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private queue: ToSpawner[] | undefined = [];
  private nextId = 1;
  dead = false;

  constructor() {
    // Its own process group: a Ctrl-C or a SIGTERM to the runner's group reaches the runner, which stops its tasks
    // gracefully; the spawner follows the runner through the IPC channel. Nothing of the runner's options leaks in:
    // no execArgv (an inspector, a loader), no NODE_OPTIONS.
    this.child = spawn(process.execPath, [fileURLToPath(new URL('./main.js', import.meta.url))], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      detached: true,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    this.child.on('message', (m: FromSpawner) => this.onMessage(m));
    this.child.on('error', (err) => this.die(`failed (${err.message})`));
    // After exit, the messages it sent before dying are still read up to the channel's end: a command that ended
    // just before its spawner ends as it did, not as lost.
    this.child.on('exit', (code, signal) => {
      if (current === this) current = undefined; // the next command starts a fresh spawner
      const how = `exited (${signal ?? `code ${code}`})`;
      if (this.child.connected) this.child.once('disconnect', () => this.die(how));
      else this.die(how);
    });
    this.idle();
  }

  run(spec: CommandSpec, handlers: CommandHandlers): RunningCommand {
    const id = this.nextId++;
    const p: Pending = { handlers };
    this.pending.set(id, p);
    if (this.pending.size === 1) this.busy();
    this.send({ t: 'run', id, ...spec });
    return { kill: (sig) => this.pending.has(id) && this.send({ t: 'kill', id, sig }) };
  }

  private send(m: ToSpawner): void {
    if (this.queue) this.queue.push(m);
    else if (this.child.connected) this.child.send(m);
  }

  private onMessage(m: FromSpawner): void {
    if (m.t === 'ready') {
      const queued = this.queue ?? [];
      this.queue = undefined;
      for (const q of queued) this.send(q);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.t === 'started') p.pid = m.pid;
    else if (m.t === 'out') p.handlers.output(m.s);
    else if (m.t === 'error') p.handlers.error(m.message);
    else {
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.idle();
      p.handlers.exit(m.code, m.signal);
    }
  }

  private die(how: string): void {
    if (this.dead) return;
    this.dead = true;
    if (current === this) current = undefined;
    const reason = `the bash spawner (pid ${this.child.pid ?? 'none'}) ${how} while the command ran; the command was killed with it`;
    for (const p of this.pending.values()) {
      // Its tether has already killed it; this covers a command the tether could not reach in time.
      if (p.pid) signalGroup(p.pid, 'SIGKILL');
      p.handlers.lost(reason);
    }
    this.pending.clear();
  }

  /** An idle spawner does not keep the runner alive; one running commands does. */
  private idle(): void {
    this.child.unref();
    this.child.channel?.unref();
  }

  private busy(): void {
    this.child.ref();
    this.child.channel?.ref();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }
}

let current: SpawnerProcess | undefined;

/**
 * Start this runner's spawner ahead of its first command: a Node start-up (tens of ms, more on a busy machine) would
 * otherwise be spent inside the first bash task's execution_timeout. Idle, it keeps nothing alive.
 */
export function startSpawner(): void {
  current ??= new SpawnerProcess();
}

/** Run a command through this runner's spawner, starting one if there is none (or the last one died). */
export function runCommand(spec: CommandSpec, handlers: CommandHandlers): RunningCommand {
  startSpawner();
  return current!.run(spec, handlers);
}

/** The pid of this runner's spawner, if one is running (for tests and diagnostics). */
export function spawnerPid(): number | undefined {
  return current?.pid;
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}
