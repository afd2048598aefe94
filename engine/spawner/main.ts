// The spawner in Node, for a machine without python3 (forker-py.ts is the one normally used): a small, long-lived
// process that forks bash tasks for the runner. Forking copies the page tables of the forking process, so
// `child_process.spawn` in a runner of a few hundred MB costs several times what it costs here; this process imports
// nothing but child_process and stays at the size of a bare Node.
//
// It dies with its runner: when its stdin closes (the runner exited or was SIGKILLed) it SIGKILLs the process
// groups of the commands still running and exits. Its commands are tethered to it (tether.ts), so a spawner that is
// itself SIGKILLed takes its commands with it, and the runner then fails their attempts.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { startTether, type Tether } from './tether.js';
import type { FromSpawner, ToSpawner } from './protocol.js';

const running = new Map<number, ChildProcess>();
const send = (m: FromSpawner) => process.stdout.write(JSON.stringify(m) + '\n');
// A tether that dies is replaced, and told again of every command still running.
const tether = (): Tether =>
  startTether(() => {
    current = tether();
    for (const child of running.values()) if (child.pid) current.hold(child.pid);
  });
let current = tether();

function signalGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}

function run(id: number, command: string, env: Record<string, string>, cwd: string | undefined): void {
  const child = spawn('bash', ['-c', command], {
    cwd,
    env,
    detached: true, // its own process group, so a timeout stops the whole tree
    stdio: ['ignore', 'pipe', 'pipe'], // stdin: /dev/null
  });
  running.set(id, child);
  const pid = child.pid;
  if (pid) {
    current.hold(pid);
    send({ t: 'started', id, pid });
  }
  for (const [fd, stream] of [[1, child.stdout!], [2, child.stderr!]] as const) {
    stream.on('data', (b: Buffer) => send({ t: 'out', id, fd, b: b.toString('base64') }));
  }
  child.on('error', (err) => send({ t: 'error', id, message: err.message }));
  child.on('close', (code, signal) => {
    running.delete(id);
    if (pid) current.release(pid);
    send({ t: 'exit', id, code, signal });
  });
}

process.stdout.on('error', () => {}); // the runner is gone: stdin's end says so
createInterface({ input: process.stdin, crlfDelay: Infinity })
  .on('line', (line) => {
    const m = JSON.parse(line) as ToSpawner;
    if (m.t === 'run') run(m.id, m.command, m.env, m.cwd);
    else if (m.t === 'kill') signalGroup(running.get(m.id)?.pid, m.sig);
  })
  .on('close', () => {
    for (const child of running.values()) signalGroup(child.pid, 'SIGKILL');
    process.exit(0);
  });
send({ t: 'ready' });
