// The spawner in Python, used when `python3` (3.8 or later) is on the PATH; main.ts (Node) otherwise. It speaks the
// same protocol (protocol.ts, JSON lines on stdin and stdout) and does what main.ts does, with one difference that
// is the point of it: it starts each command with os.posix_spawn, which glibc implements with
// clone(CLONE_VM | CLONE_VFORK) (https://man7.org/linux/man-pages/man3/posix_spawn.3.html): nothing of the forking
// process is copied, where Node's child_process (libuv's uv_spawn) forks and copies the page tables of a whole Node
// process. Measured on a 2-core machine: 300 `bash -c true`, four at a time, cost 3.0 s of CPU from here (as from
// GNU make, which also uses posix_spawn) against 6.4-7.7 s from the Node spawner.
//
// What a command gets is what Node's spawn gives it (libuv's uv__process_child_init): `bash -c COMMAND` with argv[0]
// `bash` found on the command's own PATH, exactly the environment asked for, stdin /dev/null, stdout and stderr each
// a pipe, a new session (so its own process group), every signal at its default disposition and none blocked (Python
// itself ignores SIGPIPE and SIGXFSZ, and ignored signals survive exec), no other descriptor (Python opens them all
// close-on-exec, PEP 446). A missing cwd or bash is an `error` followed by an `exit` with -errno, as libuv reports it.
// Its output goes to the runner as bytes (base64), decoded there as it was before.
export const FORKER_PY = String.raw`
import base64, json, os, selectors, shutil, signal, sys
if sys.version_info < (3, 8) or not hasattr(os, 'posix_spawn'):
    sys.exit(3)  # the runner falls back to the Node spawner

TETHER = sys.argv[1]
SIGS = [s for s in signal.valid_signals() if s not in (signal.SIGKILL, signal.SIGSTOP)]
sel = selectors.DefaultSelector()
home = os.open('.', os.O_RDONLY)
tasks = {}
by_pid = {}
out = []
bash_on = {}


def send(m):
    out.append(json.dumps(m, separators=(',', ':')))


def flush():
    if not out:
        return
    data = ('\n'.join(out) + '\n').encode()
    out.clear()
    try:
        while data:
            data = data[os.write(1, data):]
    except OSError:
        shutdown()


def group_kill(pid, sig):
    try:
        os.killpg(pid, sig)
    except OSError:
        pass  # already gone


class Tether:
    def __init__(self):
        r, self.w = os.pipe()
        fa = [(os.POSIX_SPAWN_DUP2, r, 0), (os.POSIX_SPAWN_OPEN, 1, '/dev/null', os.O_WRONLY, 0), (os.POSIX_SPAWN_OPEN, 2, '/dev/null', os.O_WRONLY, 0)]
        try:
            self.pid = os.posix_spawn(bash('/usr/bin:/bin:' + os.environ.get('PATH', '')), ['bash', '-c', TETHER], dict(os.environ), file_actions=fa, setsid=True, setsigdef=SIGS, setsigmask=())
        except OSError:
            self.pid = None  # no bash: the commands cannot start either, and say so
        os.close(r)

    def write(self, line):
        try:
            os.write(self.w, line.encode())
        except OSError:
            pass  # it died: its replacement is told of every running command


def bash(path):
    exe = bash_on.get(path)
    if exe is None:
        exe = bash_on[path] = shutil.which('bash', path=path) or ''
    return exe


class Task:
    __slots__ = ('id', 'pid', 'open', 'status')


def run(m):
    t = Task()
    t.id, t.pid, t.open, t.status = m['id'], None, 0, None
    env = m['env']
    exe = bash(env.get('PATH', os.defpath))
    pipes = os.pipe() + os.pipe()
    fa = [(os.POSIX_SPAWN_OPEN, 0, '/dev/null', os.O_RDONLY, 0), (os.POSIX_SPAWN_DUP2, pipes[1], 1), (os.POSIX_SPAWN_DUP2, pipes[3], 2)]
    cwd = m.get('cwd')
    try:
        if not exe:
            raise FileNotFoundError(2, 'No such file or directory', 'bash')
        if cwd is not None:
            os.chdir(cwd)  # posix_spawn has no chdir of its own in Python; this process is single-threaded
        t.pid = os.posix_spawn(exe, ['bash', '-c', m['command']], env, file_actions=fa, setsid=True, setsigdef=SIGS, setsigmask=())
    except (OSError, ValueError) as e:
        for fd in pipes:
            os.close(fd)
        why = getattr(e, 'strerror', None) or str(e)
        send({'t': 'error', 'id': t.id, 'message': 'spawn bash ' + why + (' (cwd ' + cwd + ')' if cwd is not None else '')})
        send({'t': 'exit', 'id': t.id, 'code': -(getattr(e, 'errno', None) or 1), 'signal': None})
        return
    finally:
        if cwd is not None:
            os.fchdir(home)
    os.close(pipes[1])
    os.close(pipes[3])
    tasks[t.id] = t
    by_pid[t.pid] = t
    tether.write('+ %d\n' % t.pid)
    send({'t': 'started', 'id': t.id, 'pid': t.pid})
    for fd, n in ((pipes[0], 1), (pipes[2], 2)):
        t.open += 1
        sel.register(fd, selectors.EVENT_READ, (output, t, n))


def output(fd, t, n):
    data = os.read(fd, 65536)
    if data:
        send({'t': 'out', 'id': t.id, 'fd': n, 'b': base64.b64encode(data).decode()})
        return
    sel.unregister(fd)
    os.close(fd)
    t.open -= 1
    ended(t)


def ended(t):
    # As Node's 'close': the process has exited and its output is all read.
    if t.status is None or t.open:
        return
    del tasks[t.id]
    tether.write('- %d\n' % t.pid)
    st = t.status
    if os.WIFSIGNALED(st):
        n = os.WTERMSIG(st)
        try:
            name = signal.Signals(n).name
        except ValueError:
            name = 'SIG%d' % n
        send({'t': 'exit', 'id': t.id, 'code': None, 'signal': name})
    else:
        send({'t': 'exit', 'id': t.id, 'code': os.WEXITSTATUS(st), 'signal': None})


def reap(fd, *_):
    global tether
    try:
        os.read(fd, 4096)
    except OSError:
        pass
    while True:
        try:
            pid, st = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        t = by_pid.pop(pid, None)
        if t is not None:
            t.status = st
            ended(t)
        elif pid == tether.pid:
            os.close(tether.w)
            tether = Tether()  # and told again of every command still running
            for t in tasks.values():
                tether.write('+ %d\n' % t.pid)


def shutdown():
    for t in tasks.values():
        group_kill(t.pid, signal.SIGKILL)
    os._exit(0)


buf = b''


def request(fd, *_):
    global buf
    data = os.read(fd, 65536)
    if not data:
        shutdown()  # the runner is gone
    buf += data
    *lines, buf = buf.split(b'\n')
    for line in lines:
        m = json.loads(line)
        if m['t'] == 'run':
            run(m)
        elif m['t'] == 'kill':
            t = tasks.get(m['id'])
            if t is not None:
                group_kill(t.pid, getattr(signal, m['sig']))


wake_r, wake_w = os.pipe()
os.set_blocking(wake_w, False)
signal.set_wakeup_fd(wake_w)
signal.signal(signal.SIGCHLD, lambda *_: None)
tether = Tether()
sel.register(0, selectors.EVENT_READ, (request,))
sel.register(wake_r, selectors.EVENT_READ, (reap,))
send({'t': 'ready'})
flush()
while True:
    for key, _ in sel.select():
        f, *rest = key.data
        f(key.fd, *rest)
    flush()
`;
