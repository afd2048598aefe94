// A bash task's processes die with the spawner that forked them (main.ts, which itself dies with its runner). A task
// runs in its own process group (so a timeout can stop its whole tree), which also means nothing stops it when the
// spawner is SIGKILLed: it would live on under init and finish after the restarted runner has already run the same
// attempt again. Linux's PR_SET_PDEATHSIG is out of reach from Node without native code, so the spawner keeps one
// small bash process beside it, the tether: the spawner writes `+PGID` when it starts a command and `-PGID` when the
// command has ended, and when the pipe closes (the spawner is gone) the tether SIGKILLs every group still listed.
// One process for all tasks, instead of a watcher forked into every task (a second bash start per task).
//
// A command that ended normally is no longer listed: its background processes are left alone, as without windsock.
import { spawn, type ChildProcess } from 'node:child_process';

/** The tether's bash script; the Python spawner (forker-py.ts) starts the same one. */
export const TETHER_SCRIPT = 'declare -A g; while read -r op id; do if [[ $op == + ]]; then g[$id]=1; else unset "g[$id]"; fi; done; for id in "${!g[@]}"; do kill -KILL -- "-$id"; done';

export interface Tether {
  hold(pgid: number): void;
  release(pgid: number): void;
}

/** Start the tether; `onExit` when it dies (its groups are then unguarded: the caller starts another or stops). */
export function startTether(onExit: () => void): Tether {
  const child: ChildProcess = spawn('bash', ['-c', TETHER_SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  child.stdin!.on('error', () => {}); // its end closing is the signal, not an error
  child.on('error', () => {}); // no bash: the commands cannot start either, and say so
  child.on('exit', onExit);
  child.unref();
  const write = (line: string) => child.stdin!.writable && child.stdin!.write(line);
  return { hold: (pgid) => void write(`+ ${pgid}\n`), release: (pgid) => void write(`- ${pgid}\n`) };
}
