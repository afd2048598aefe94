// The DuckDB warehouse's lock file as `dag warehouse query` meets it: a lock left by a process that died (a crash
// during load_star) is taken over at once, and a lock held by a live process is waited for with one line naming it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { dag, dagAsync, exited, until, workspace } from '../support/cli.js';

async function emptyWarehouse(home: string): Promise<string> {
  fs.mkdirSync(home, { recursive: true });
  const file = path.join(home, 'warehouse.duckdb');
  (await DuckDBInstance.create(file)).closeSync();
  return file;
}

const lockText = (pid: number) => JSON.stringify({ host: os.hostname(), pid, thread: 0, since: '2024-04-20T10:00:00.000Z', id: 'crashed' });

describe('the warehouse lock', () => {
  it('left by a dead load_star is taken over at once, even while its file looks fresh', async () => {
    const ws = workspace();
    const file = await emptyWarehouse(ws.home);
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => gone.on('exit', r));
    fs.writeFileSync(`${file}.windsock-lock`, lockText(gone.pid!));
    // keep its mtime fresh, so that only the dead pid can tell it is abandoned (the stale time never passes)
    const touch = setInterval(() => fs.promises.utimes(`${file}.windsock-lock`, new Date(), new Date()).catch(() => undefined), 200);
    try {
      const r = await dag(ws, ['warehouse', 'query', 'SELECT 42 AS n', '-o', 'csv'], { timeoutMs: 120_000 });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('n\r\n42\r\n');
      expect(r.code).toBe(0);
    } finally {
      clearInterval(touch);
    }
  });

  it('held by a live process is waited for, saying once who holds it, and taken when that process dies', async () => {
    const ws = workspace();
    const file = await emptyWarehouse(ws.home);
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      fs.writeFileSync(`${file}.windsock-lock`, lockText(holder.pid!));
      const q = dagAsync(ws, ['warehouse', 'query', 'SELECT 42 AS n', '-o', 'csv']);
      await until(() => q.output().includes('waiting for the warehouse'), 60_000, 'the waiting message');
      holder.kill('SIGKILL');
      expect(await exited(q)).toBe(0);
      const lines = q.output().split(/\r?\n/);
      expect(lines.filter((l) => l.includes('waiting'))).toEqual([
        `waiting for the warehouse ${file}: another windsock process uses it (pid ${holder.pid} on ${os.hostname()} since 2024-04-20T10:00:00.000Z)`,
      ]);
      expect(lines).toContain('42');
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
