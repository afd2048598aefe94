// The web server's commands as users run them: `dag users ...`, `dag serve` (URL printed once listening, health
// answered, one-line errors for a port in use, a bad host or an unwritable home) and `dag standalone` (scheduler and
// web server together; the admin created once, its password printed once and kept in a 0600 file). The first refusal
// of each command runs in a real `dag` process, the others through the same command tree in this process.
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { dag, dagAsync, exited, until, workspace, type Workspace, killedAfterEach } from '../support/cli.js';
import { assertSpec } from '../support/openapi.js';
import { dagInProcess } from '../support/in-process-cli.js';

const children = killedAfterEach();

const DAG = `hello:
  schedule: null
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: say, operator: bash, bash_command: 'echo hi'}
`;

/** Start `dag <args>` and wait for the URL it prints. */
async function startServer(ws: Workspace, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = dagAsync(ws, args, env);
  children.push(child);
  let url = '';
  await until(() => {
    url = /windsock web server on (http:\/\/\S+)/.exec(child.output())?.[1] ?? '';
    if (child.exitCode !== null) throw new Error(`dag ${args.join(' ')} exited ${child.exitCode}: ${child.output()}`);
    return url !== '';
  }, 90_000, 'the web server URL');
  return { child, url };
}

async function token(url: string, username: string, password: string): Promise<Response> {
  return fetch(`${url}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
}

describe('dag users', () => {
  it('creates, lists, resets the password of and deletes users; refuses bad names, roles and the last admin', async () => {
    const ws = workspace();
    const create = await dag(ws, ['users', 'create', '--username', 'ann.k', '--role', 'Op', '--password', 'ann-password']);
    expect(create.code, create.stderr).toBe(0);
    const stdin = await dag(ws, ['users', 'create', '-u', 'root', '-r', 'admin', '--password-stdin'], { input: 'root-password\n' });
    expect(stdin.code, stdin.stderr).toBe(0);
    const list = await dagInProcess(ws, ['users', 'list', '-o', 'json']);
    expect(JSON.parse(list.stdout).map((u: { username: string; role: string }) => [u.username, u.role])).toEqual([['ann.k', 'op'], ['root', 'admin']]);
    expect(list.stdout).not.toMatch(/password|scrypt/);

    for (const [i, [args, message]] of ([
      [['users', 'create', '-u', 'ann.k', '-r', 'viewer', '-p', 'whatever-pw'], /already exists/],
      [['users', 'create', '-u', '../etc', '-r', 'viewer', '-p', 'whatever-pw'], /letters, digits/],
      [['users', 'create', '-u', 'x'.repeat(65), '-r', 'viewer', '-p', 'whatever-pw'], /1 to 64/],
      [['users', 'create', '-u', 'carl', '-r', 'root', '-p', 'whatever-pw'], /role 'root' is not one of viewer, user, op, admin/],
      [['users', 'create', '-u', 'carl', '-r', 'viewer'], /no password given/],
      [['users', 'create', '-u', 'carl', '-r', 'viewer', '-p', 'short'], /at least 8/],
      [['users', 'delete', 'root'], /last admin/],
      [['users', 'delete', 'nobody'], /no user 'nobody'/],
      [['users', 'reset-password', 'nobody', '-p', 'whatever-pw'], /no user 'nobody'/],
    ] as const).entries()) {
      const r = await (i === 0 ? dag(ws, [...args]) : dagInProcess(ws, [...args]));
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }

    const { url } = await startServer(ws, ['serve', '--port', '0']);
    expect((await token(url, 'ann.k', 'ann-password')).status).toBe(201);
    const reset = await dag(ws, ['users', 'reset-password', 'ann.k', '--password-stdin'], { input: 'new-ann-password\n' });
    expect(reset.code, reset.stderr).toBe(0);
    expect((await token(url, 'ann.k', 'ann-password')).status).toBe(401);
    expect((await token(url, 'ann.k', 'new-ann-password')).status).toBe(201);
    expect((await dagInProcess(ws, ['users', 'delete', 'ann.k'])).code).toBe(0);
    expect((await token(url, 'ann.k', 'new-ann-password')).status).toBe(401);
    expect(JSON.parse((await dagInProcess(ws, ['users', 'list', '-o', 'json'])).stdout).map((u: { username: string }) => u.username)).toEqual(['root']);
  }, 300_000);
});

describe('dag serve', () => {
  it('prints its URL once listening, answers health per the spec, and stops on SIGTERM', async () => {
    const ws = workspace({ 'hello.yaml': DAG });
    const { child, url } = await startServer(ws, ['serve', '--port', '0'], { WINDSOCK_ADMIN_PASSWORD: 'from-the-env-pw' });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${url}/api/v2/monitor/health`);
    expect(health.status).toBe(200);
    const body = await health.json();
    assertSpec('/api/v2/monitor/health', 'get', 200, body);
    expect(body).toMatchObject({ metadatabase: { status: 'healthy' }, scheduler: { status: 'unhealthy', latest_scheduler_heartbeat: null } });
    expect(child.output()).not.toContain('from-the-env-pw');
    expect(fs.existsSync(path.join(ws.home, 'admin_password.txt'))).toBe(false);
    const login = await token(url, 'admin', 'from-the-env-pw');
    expect(login.status).toBe(201);
    const auth = { authorization: `Bearer ${((await login.json()) as { access_token: string }).access_token}` };
    const dags = await fetch(`${url}/api/v2/dags`, { headers: auth });
    expect(((await dags.json()) as { dags: { dag_id: string }[] }).dags.map((d) => d.dag_id)).toEqual(['hello']);
    // the tasks come from the DAGs folder as `dag serve` parses it (its DagBag)
    const tasks = await fetch(`${url}/api/v2/dags/hello/tasks`, { headers: auth });
    expect(((await tasks.json()) as { tasks: { task_id: string; operator_name: string }[] }).tasks.map((t) => [t.task_id, t.operator_name])).toEqual([['say', 'bash']]);
    expect((fs.statSync(path.join(ws.home, 'jwt_secret')).mode & 0o777).toString(8)).toBe('600');
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  }, 300_000);

  it('says in one line, exit 2, when the port is taken, the host is bad or the home cannot be written', async () => {
    const ws = workspace();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
        [['serve', '--port', String(port)], {}, new RegExp(`port ${port} on 127.0.0.1 is already in use`)],
        [['serve', '--port', '0', '--host', 'not a host!'], {}, /--host not a host! is not an IP address or a host name/],
        [['serve', '--port', '0', '--host', '203.0.113.7'], {}, /--host 203.0.113.7 is not an address of this machine/],
        [['serve', '--port', '70000'], {}, /--port 70000 is not a port from 0 to 65535/],
        [['serve', '--port', '0'], { WINDSOCK_HOME: path.join(ws.dags, 'file.txt', 'home') }, /WINDSOCK_HOME .*file\.txt\/home is not a folder: a part of the path is a file/],
      ];
      fs.writeFileSync(path.join(ws.dags, 'file.txt'), 'not a folder');
      for (const [i, [args, env, message]] of cases.entries()) {
        const r = await (i === 0 ? dag(ws, args, { env }) : dagInProcess(ws, args, { env }));
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stdout).not.toContain('windsock web server on');
      }
    } finally {
      blocker.close();
    }
  }, 300_000);
});

describe('dag standalone', () => {
  it('runs the scheduler and the web server; creates the admin once and prints its password only the first time', async () => {
    const ws = workspace({ 'hello.yaml': DAG });
    const first = await startServer(ws, ['standalone', '--port', '0']);
    await until(() => /Password for user 'admin': \S{16}/.test(first.child.output()), 30_000, 'the admin password');
    const password = /Password for user 'admin': (\S{16})/.exec(first.child.output())![1];
    const file = path.join(ws.home, 'admin_password.txt');
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(password);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    expect((await token(first.url, 'admin', password)).status).toBe(201);
    // the scheduler half: healthy by its heartbeat
    let health: { scheduler: { status: string } } = { scheduler: { status: '' } };
    for (let i = 0; i < 200 && health.scheduler.status !== 'healthy'; i++) {
      health = (await (await fetch(`${first.url}/api/v2/monitor/health`)).json()) as typeof health;
      if (health.scheduler.status !== 'healthy') await new Promise((r) => setTimeout(r, 100));
    }
    expect(health.scheduler.status).toBe('healthy');
    first.child.kill('SIGTERM');
    expect(await exited(first.child), first.child.output()).toBe(0);

    const second = await startServer(ws, ['standalone', '--port', '0']);
    await until(() => second.child.output().includes('generated before'), 30_000, 'the note about the password file');
    expect(second.child.output()).toContain(file);
    expect(second.child.output()).not.toContain(password);
    expect((await token(second.url, 'admin', password)).status).toBe(201);
    second.child.kill('SIGINT');
    expect(await exited(second.child), second.child.output()).toBe(0);
    expect(JSON.parse((await dagInProcess(ws, ['users', 'list', '-o', 'json'])).stdout).map((u: { username: string }) => u.username)).toEqual(['admin']);
  }, 300_000);
});
