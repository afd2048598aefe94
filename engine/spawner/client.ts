// The runner's side of the spawner (forker-py.ts, or main.ts): one spawner process per runner, started on the first bash task and
// started again after it dies. A command whose spawner dies is killed with it (its tether) and ends here through
// `onLost`, so its attempt fails through the normal failure path (up_for_retry or failed, with the reason).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { Socket } from 'node:net';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import type { FromSpawner, ToSpawner } from './protocol.js';
import { FORKER_PY } from './forker-py.js';
import { TETHER_SCRIPT } from './tether.js';

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
  /** stdout's and stderr's decoders: a character split across two reads is decoded whole, as by setEncoding. */
  decoders: [StringDecoder, StringDecoder];
}

/**
 * The spawner's implementations, best first: Python's posix_spawn forks nothing of the spawner (forker-py.ts); Node,
 * which needs nothing more, forks a copy of a bare Node per command (main.ts). One that cannot start (no python3, or
 * one older than 3.8) exits before saying ready, and the next is used from then on.
 */
const BACKENDS: { command: () => string; args: () => string[] }[] = [
  { command: () => python3(process.env.PATH ?? ''), args: () => ['-I', '-S', '-c', FORKER_PY, TETHER_SCRIPT] },
  { command: () => process.execPath, args: () => [fileURLToPath(new URL('./main.js', import.meta.url))] },
];

/**
 * The first python3 on the PATH that is a program rather than a script: a version manager's shim (pyenv, asdf) is
 * a shell script that runs the manager on every start, about 0.5 s of CPU on a 2-core machine against 0.04 s for
 * the interpreter itself. A shim is used when nothing else is there.
 */
function python3(searchPath: string): string {
  let shim: string | undefined;
  for (const dir of searchPath.split(':')) {
    const file = path.join(dir || '.', 'python3');
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (!startsWithShebang(file)) return file;
      shim ??= file;
    } catch {
      // not here
    }
  }
  return shim ?? 'python3';
}

function startsWithShebang(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(2);
    return fs.readSync(fd, head, 0, 2, 0) === 2 && head.toString('latin1') === '#!';
  } finally {
    fs.closeSync(fd);
  }
}

/** The implementation this process uses: the first of BACKENDS not known to fail here. */
let backend = 0;

class SpawnerProcess {
  private child!: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  /** Requests written before the spawner is ready. */
  private queue: string[] | undefined = [];
  private nextId = 1;
  dead = false;

  constructor() {
    this.start();
  }

  private start(): void {
    const b = BACKENDS[backend];
    // Its own process group: a Ctrl-C or a SIGTERM to the runner's group reaches the runner, which stops its tasks
    // gracefully; the spawner follows the runner through its stdin closing. Nothing of the runner's options leaks
    // in: no execArgv (an inspector, a loader), no NODE_OPTIONS, no PYTHON* variables.
    const child = spawn(b.command(), b.args(), {
      stdio: ['pipe', 'pipe', 'inherit'],
      detached: true,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    this.child = child;
    let ready = false;
    let rest = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (s: string) => {
      const lines = (rest + s).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        const m = parse(line);
        if (m?.t === 'ready') ready = true;
        if (m) this.onMessage(m);
      }
    });
    child.stdin!.on('error', () => {}); // it died: its exit says so
    child.on('error', () => {}); // could not start: its close says so
    child.on('exit', () => {
      if (ready && current === this) current = undefined; // the next command starts a fresh spawner
    });
    // After exit, the messages it wrote before dying are still read up to its stdout's end: a command that ended
    // just before its spawner ends as it did, not as lost.
    child.on('close', (code, signal) => {
      if (!ready && backend < BACKENDS.length - 1) {
        backend++; // this implementation cannot run here: the next one takes the requests waiting
        return this.start();
      }
      this.die(`exited (${signal ?? `code ${code}`})`);
    });
    if (this.pending.size) this.busy();
    else this.idle();
  }

  run(spec: CommandSpec, handlers: CommandHandlers): RunningCommand {
    const id = this.nextId++;
    const p: Pending = { handlers, decoders: [new StringDecoder('utf8'), new StringDecoder('utf8')] };
    this.pending.set(id, p);
    if (this.pending.size === 1) this.busy();
    this.send({ t: 'run', id, ...spec });
    return { kill: (sig) => this.pending.has(id) && this.send({ t: 'kill', id, sig }) };
  }

  /** Lines for the spawner written at the end of this synchronous run: one scheduling pass's commands, one write. */
  private outbox: string[] = [];

  private send(m: ToSpawner): void {
    const line = JSON.stringify(m) + '\n';
    if (this.queue) return void this.queue.push(line);
    // A write to the spawner's pipe wakes it at once; on a busy machine each wake-up costs the runner its core for a
    // while, so the commands a pass starts go over together (the spawner reads and starts them in one go).
    if (this.outbox.push(line) === 1) queueMicrotask(() => this.child.stdin!.write(this.outbox.splice(0).join('')));
  }

  private onMessage(m: FromSpawner): void {
    if (m.t === 'ready') {
      const queued = this.queue ?? [];
      this.queue = undefined;
      if (queued.length) this.child.stdin!.write(queued.join(''));
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.t === 'started') p.pid = m.pid;
    else if (m.t === 'out') {
      const s = p.decoders[m.fd - 1].write(Buffer.from(m.b, 'base64'));
      if (s) p.handlers.output(s);
    } else if (m.t === 'error') p.handlers.error(m.message);
    else {
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.idle();
      for (const d of p.decoders) {
        const s = d.end();
        if (s) p.handlers.output(s);
      }
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
    for (const s of [this.child.stdin, this.child.stdout] as (Socket | null)[]) s?.unref();
  }

  private busy(): void {
    this.child.ref();
    for (const s of [this.child.stdin, this.child.stdout] as (Socket | null)[]) s?.ref();
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

/** A line of the protocol; anything else (a stray line on the spawner's stdout) is not a message. */
function parse(line: string): FromSpawner | undefined {
  try {
    return JSON.parse(line) as FromSpawner;
  } catch {
    return undefined;
  }
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}
