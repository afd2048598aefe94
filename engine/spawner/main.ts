// The spawner: a small, long-lived Node process that forks bash tasks for the runner. Forking copies the page
// tables of the forking process, so `child_process.spawn` in a runner of a few hundred MB costs several times what
// it costs here; this process imports nothing but child_process and stays at the size of a bare Node.
//
// It dies with its runner: when the IPC channel closes (the runner exited or was SIGKILLed) it SIGKILLs the process
// groups of the commands still running and exits. Its commands are tethered to it (tether.ts), so a spawner that is
// itself SIGKILLed takes its commands with it, and the runner then fails their attempts.
import { spawn, type ChildProcess } from 'node:child_process';
import { startTether, type Tether } from './tether.js';
import type { FromSpawner, ToSpawner } from './protocol.js';

const running = new Map<number, ChildProcess>();
const send = (m: FromSpawner) => process.send?.(m);
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
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (s: string) => send({ t: 'out', id, s }));
  }
  child.on('error', (err) => send({ t: 'error', id, message: err.message }));
  child.on('close', (code, signal) => {
    running.delete(id);
    if (pid) current.release(pid);
    send({ t: 'exit', id, code, signal });
  });
}

process.on('message', (m: ToSpawner) => {
  if (m.t === 'run') run(m.id, m.command, m.env, m.cwd);
  else if (m.t === 'kill') signalGroup(running.get(m.id)?.pid, m.sig);
});
process.on('disconnect', () => {
  for (const child of running.values()) signalGroup(child.pid, 'SIGKILL');
  process.exit(0);
});
send({ t: 'ready' });
