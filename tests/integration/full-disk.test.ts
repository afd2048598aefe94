// A disk that fills up during `dag run`. Writes are made to fail for real: under `ulimit -f` (the kernel refuses to
// grow any file past the limit, EFBIG, and SQLite reports SQLITE_IOERR_WRITE from the real write), and, where this
// machine lets us mount one, on a small tmpfs home (ENOSPC / SQLITE_FULL), the scenario users hit. The command must
// end with one line saying what is full (never a dump from a timer), and the next command must find a state that
// matches what happened: no task held by a live claim, the run resumable to success. The runs that hit the full disk
// are real `dag` processes; the commands before and after go through the same command tree in this process
// (tests/support/in-process-cli.ts), without a Node start-up each.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dag, workspace, type CliResult } from '../support/cli.js';
import { dagInProcess } from '../support/in-process-cli.js';
import { dagRestricted } from '../support/restricted-cli.js';
import { ROOT } from '../support/paths.js';
import { stateDb } from '../support/state.js';
import { tempDir } from '../support/tmp.js';

const TASKS = 40;
const CHAIN = `
chain:
  schedule: "@daily"
  default_args: {start_date: 2024-01-01}
  tasks:
${Array.from({ length: TASKS }, (_, i) => `    - {task_id: t${i}, operator: bash, bash_command: "echo step ${i}"${i ? `, dependencies: [t${i - 1}]` : ''}}`).join('\n')}
`;

/** Ended with one line of its own naming the state database, after whatever progress it printed; exit 2. */
function endedOnFullDisk(r: CliResult, home: string): void {
  expect(r.stderr).not.toMatch(/windsock bug|\n\s+at |SqliteError|Node\.js v/);
  const last = r.stderr.trim().split('\n').at(-1)!;
  expect(last, r.stderr).toMatch(new RegExp(`^error: cannot write the state database ${home}/windsock\\.db: .*(SQLITE_IOERR_WRITE|SQLITE_FULL).*; free space on the disk holding ${home}`));
  expect(r.code, r.stderr).toBe(2);
}

function runningClaims(home: string): { task_id: string; pid: number | null }[] {
  const db = stateDb(home);
  try {
    return db.prepare(`SELECT ti.task_id, j.pid FROM task_instance ti LEFT JOIN job j ON j.id = ti.job_id WHERE ti.state = 'running'`).all() as { task_id: string; pid: number | null }[];
  } finally {
    db.close();
  }
}

const pidAlive = (pid: number | null) => {
  if (pid == null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('a full disk during dag run', () => {
  it('under a file size limit: one line, then the next dag run resumes the run to success', async () => {
    const ws = workspace({ 'chain.yaml': CHAIN });
    expect((await dagInProcess(ws, ['list'])).code).toBe(0); // the state database exists, at its size after migrations
    const size = fs.statSync(path.join(ws.home, 'windsock.db')).size;
    const full = await dagRestricted(ws, ['run', 'chain', '--date', '2024-03-01'], { fileSizeKiB: Math.ceil(size / 1024) + 48 });
    endedOnFullDisk(full, ws.home);

    // what the state says matches what happened: some tasks done, none claimed by a process still alive
    expect(runningClaims(ws.home).filter((c) => pidAlive(c.pid))).toEqual([]);
    const again = await dagInProcess(ws, ['run', 'chain', '--date', '2024-03-01']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/^Resuming chain backfill__2024-03-01T00:00:00\+00:00/m);
    const db = stateDb(ws.home);
    try {
      expect(db.prepare(`SELECT count(*) FROM task_instance WHERE state = 'success'`).pluck().get()).toBe(TASKS);
    } finally {
      db.close();
    }
  }, 300_000);
});

/** A tmpfs of `size` mounted on a fresh folder, when this machine allows it (root in a container that permits it). */
function run(cmd: string, args: string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    child.on('error', () => resolve(-1));
    child.on('close', resolve);
  });
}
const mountPoint = tempDir('windsock-tmpfs-');
const mounted = (await run('mount', ['-t', 'tmpfs', '-o', 'size=5m', 'tmpfs', mountPoint])) === 0;
afterAll(async () => {
  if (mounted) await run('umount', ['-l', mountPoint]); // lazily: a CLI still running after a failed test keeps it busy
});

describe.runIf(mounted)('a full disk during dag run openaq, on a 5 MB tmpfs home', () => {
  it('ends with one line, the warehouse load is not left claimed by a live process, and the run resumes once there is room', async () => {
    const ws = workspace({}, { WINDSOCK_DAGS_FOLDER: path.join(ROOT, 'dags') });
    ws.env.WINDSOCK_HOME = mountPoint;
    const full = await dag(ws, ['run', 'openaq', '--date', '2024-04-20']);
    expect(full.stderr).not.toMatch(/windsock bug|\n\s+at |Node\.js v/);
    expect(full.stderr.trim().split('\n').at(-1)).toMatch(/^error: .*(the disk is full|ENOSPC|SQLITE_FULL)/);
    expect(full.code, full.stderr).toBe(2);
    expect(runningClaims(mountPoint).filter((c) => pidAlive(c.pid))).toEqual([]);

    expect(await run('mount', ['-o', 'remount,size=256m', mountPoint])).toBe(0);
    const again = await dagInProcess(ws, ['run', 'openaq', '--date', '2024-04-20']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/^Resuming openaq /m);
    const q = await dagInProcess(ws, ['warehouse', 'query', "SELECT count(*) AS n FROM fact_measurement WHERE ds = DATE '2024-04-20'", '-o', 'json']);
    expect(JSON.parse(q.stdout)[0].n).toBeGreaterThan(0);
  }, 400_000);
});
