// `dag serve` as users start it, for bench/web.ts's last figures: the CLI (dist/cli/main.js) in a child process of
// its own with Node's default flags (NODE_OPTIONS removed), on the benchmark's state database, so that its RSS is
// what a user's server holds after the same load, not the bench server's (which skips the CLI's start-up).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export interface ServeProcess {
  url: string;
  /** VmRSS of the process, in MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

/**
 * Starts `dag serve --port 0` on `home`, over a DAGs folder holding the state database's DAGs (one empty task each,
 * so that the CLI's parse on start keeps them active); resolves once it prints its URL.
 */
export async function startDagServe(home: string, dagIds: string[], env: Record<string, string>): Promise<ServeProcess> {
  const dags = fs.mkdtempSync(path.join(path.dirname(home), 'dags-'));
  for (const id of dagIds) {
    const yaml = `${id}:\n  schedule: "@daily"\n  tags: [bench]\n  default_args: {owner: airflow, start_date: 2020-01-01}\n  tasks:\n    - {task_id: noop, operator: EmptyOperator}\n`;
    fs.writeFileSync(path.join(dags, `${id}.yaml`), yaml);
  }
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, WINDSOCK_HOME: home, WINDSOCK_DAGS_FOLDER: dags };
  delete childEnv.NODE_OPTIONS;
  const proc = spawn(process.execPath, [CLI, 'serve', '--host', '127.0.0.1', '--port', '0'], { env: childEnv, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await listeningUrl(proc);
  return {
    url,
    rssMb: () => Number(/^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

function listeningUrl(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const m = /windsock web server on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`dag serve exited (${code}) before listening: ${out.trim()}`)));
  });
}
