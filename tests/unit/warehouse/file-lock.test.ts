// The warehouse lock file: a holder whose process is gone is taken over at once (not after the stale time), a live
// holder is waited for with one message naming it, and the wait is bounded by a timeout that names it too.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireFileLock, LockTimeoutError } from '../../../tasks/warehouse/file-lock.js';
import { tempDir } from '../../support/tmp.js';

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

const holder = (pid: number, since = '2024-04-20T10:00:00.000Z') => JSON.stringify({ host: os.hostname(), pid, thread: 0, since, id: 'abc' });

describe('acquireFileLock', () => {
  it('takes over at once a lock whose holder (on this host) is dead, however recently it was touched', async () => {
    const lock = path.join(tempDir(), 'warehouse.duckdb.windsock-lock');
    fs.writeFileSync(lock, holder(await deadPid()));
    const waits: string[] = [];
    // a stale time of an hour and no patience at all: only the dead-holder rule can let us in
    const release = await acquireFileLock(lock, { staleMs: 3_600_000, timeoutMs: 0, onWait: (h) => waits.push(h) });
    expect(waits).toEqual([]);
    expect(JSON.parse(fs.readFileSync(lock, 'utf8'))).toMatchObject({ host: os.hostname(), pid: process.pid });
    await release();
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('waits for a live holder, saying once who it is, and gives up naming it', async () => {
    const dir = tempDir();
    const lock = path.join(dir, 'warehouse.duckdb.windsock-lock');
    fs.writeFileSync(lock, holder(process.pid)); // alive: this very process
    const waits: string[] = [];
    const err = await acquireFileLock(lock, { staleMs: 3_600_000, timeoutMs: 400, onWait: (h) => waits.push(h) }).catch((e) => e);
    const who = `pid ${process.pid} on ${os.hostname()} since 2024-04-20T10:00:00.000Z`;
    expect(waits).toEqual([who]);
    expect(err).toBeInstanceOf(LockTimeoutError);
    expect(err.message).toBe(`timed out waiting for ${lock} (held by ${who})`);
    expect(fs.readdirSync(dir)).toEqual(['warehouse.duckdb.windsock-lock']); // nothing of ours left beside it
  });

  it('gets the lock when a live holder releases it', async () => {
    const lock = path.join(tempDir(), 'l');
    const first = await acquireFileLock(lock);
    const waits: string[] = [];
    const second = acquireFileLock(lock, { onWait: (h) => waits.push(h) });
    await new Promise((r) => setTimeout(r, 100));
    await first();
    const release = await second;
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatch(new RegExp(`^pid ${process.pid} .*on ${os.hostname()} since \\d{4}-`));
    await release();
  });

  it('lets exactly one of many waiters take over the same dead lock', async () => {
    const lock = path.join(tempDir(), 'l');
    fs.writeFileSync(lock, holder(await deadPid()));
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const release = await acquireFileLock(lock, { staleMs: 3_600_000 });
        most = Math.max(most, ++inside);
        await new Promise((r) => setTimeout(r, 20));
        inside--;
        await release();
      }),
    );
    expect(most).toBe(1);
  });
});
