// A task's processes die with the process that started them (the runner's spawner, engine/spawner, which itself dies
// with its runner). A bash task runs in its own process group (so a timeout can stop its whole tree), which also
// means nothing stops it when that process is SIGKILLed: it would live on under init and finish after the restarted
// runner has already run the same attempt again. Linux's PR_SET_PDEATHSIG is out of reach from Node without native
// code, so the group carries a tiny watcher instead: it holds the read end of a pipe whose write end only the spawner
// has (Node opens it close-on-exec), and when that pipe closes while the command is still running, the spawner is
// gone and the watcher SIGKILLs the group (itself included).
//
// Node closes the pipe itself once it has reaped the command, so the watcher first checks that the command's pid
// is still there: a command that ended normally leaves its background processes alone, as it does without windsock.

/**
 * bash arguments that run `command` (with stdin from /dev/null, as before) tethered to this process. Spawn them with
 * `detached: true` and stdin a pipe that is never written to nor closed.
 */
export function tetheredBashArgs(command: string): string[] {
  const script = 'exec 3<&0 </dev/null; (read -r _ <&3; kill -0 $$ && kill -KILL 0) >/dev/null 2>&1 & exec 3<&-; exec bash -c "$1"';
  return ['-c', script, 'windsock-task', command];
}
