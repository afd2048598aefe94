// Claiming a run on a real state database: one driver at a time, a dead driver's run taken over (its orphaned
// attempts reset, three interruptions in a row failing the task), and how attempt counts are shown.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { Store } from '../../../engine/state/store.js';
import { claimRun, resetOrphans, MAX_INTERRUPTED_TRIES } from '../../../engine/run/run-ownership.js';
import { attemptOf } from '../../../engine/run/retry.js';
import { tempDir } from '../../support/tmp.js';

const T0 = new Date('2024-04-20T00:00:00Z');
const K = { dagId: 'd', runId: 'r', taskId: 't' };

function setup(maxTries = 3) {
  const store = Store.open(tempDir());
  store.runs.create(
    { dagId: 'd', runId: 'r', runType: 'backfill', logicalDate: T0, dataIntervalStart: T0, dataIntervalEnd: T0, conf: {}, externalTrigger: false },
    [{ taskId: 't', operator: 'bash', pool: 'default_pool', poolSlots: 1, priorityWeight: 1, maxTries }],
  );
  return store;
}

const run = (store: Store) => store.runs.get('d', 'r')!;

/** A job whose process has exited and been reaped. */
async function deadJob(store: Store): Promise<number> {
  const id = store.jobs.start('RunJob', 'd');
  const pid = await new Promise<number>((resolve, reject) => {
    const child = spawn('true');
    child.on('error', reject);
    child.on('exit', () => resolve(child.pid!));
  });
  store.db.prepare('UPDATE job SET pid = ? WHERE id = ?').run(pid, id);
  return id;
}

describe('claimRun', () => {
  it('gives a run to one live job at a time, and releases it when the job ends', () => {
    const store = setup();
    const a = store.jobs.start('RunJob', 'd');
    const b = store.jobs.start('BackfillJob', 'd');
    expect(store.tx(() => claimRun(store, run(store), a))).toEqual({ ok: true, notes: [] });
    expect(run(store).driver_job_id).toBe(a);
    const refused = store.tx(() => claimRun(store, run(store), b));
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.holder.id).toBe(a);
    expect(store.tx(() => claimRun(store, run(store), a)).ok).toBe(true); // its own claim again: fine
    store.jobs.end(a);
    expect(run(store).driver_job_id).toBeNull();
    expect(store.tx(() => claimRun(store, run(store), b)).ok).toBe(true);
    store.close();
  });

  it('takes over the run of a dead driver, giving its running attempt back', async () => {
    const store = setup();
    const dead = await deadJob(store);
    store.tx(() => claimRun(store, run(store), dead));
    store.tis.start(K, { hostname: 'h', pid: 1, jobId: dead });
    const b = store.jobs.start('SchedulerJob');
    expect(store.tx(() => claimRun(store, run(store), b))).toEqual({ ok: true, notes: [] });
    expect(run(store).driver_job_id).toBe(b);
    const ti = store.tis.get(K)!;
    expect([ti.state, ti.try_number, ti.max_tries, ti.refunded_tries, ti.interrupted_tries]).toEqual([null, 1, 4, 1, 1]);
    store.close();
  });

  it('refuses while a live job other than the driver still runs one of its attempts', () => {
    const store = setup();
    const other = store.jobs.start('RunJob', 'd');
    store.tis.start(K, { hostname: 'h', pid: 1, jobId: other }); // recorded before drivers were
    const me = store.jobs.start('RunJob', 'd');
    const c = store.tx(() => claimRun(store, run(store), me));
    expect(!c.ok && c.holder.id).toBe(other);
    store.close();
  });
});

describe('resetOrphans', () => {
  it(`fails an attempt interrupted ${MAX_INTERRUPTED_TRIES} times in a row, and an attempt that ends on its own starts the count again`, async () => {
    const store = setup();
    const interrupt = async () => {
      store.tis.start(K, { hostname: 'h', pid: 1, jobId: await deadJob(store) });
      return store.tx(() => resetOrphans(store, run(store), null));
    };
    expect(await interrupt()).toEqual([]);
    store.tis.start(K, { hostname: 'h', pid: 1, jobId: null });
    store.tis.finish(K, 'up_for_retry'); // attempt 2 failed on its own: the interruptions were not in a row
    expect(store.tis.get(K)!.interrupted_tries).toBe(0);
    expect(await interrupt()).toEqual([]);
    expect(await interrupt()).toEqual([]);
    const notes = await interrupt();
    expect(notes).toEqual([expect.stringMatching(/^d\.t r: attempt 5 was interrupted 3 times in a row \(the process running it died, last pid 1 on h\)/)]);
    const ti = store.tis.get(K)!;
    expect([ti.state, ti.try_number]).toEqual(['failed', 5]);
    store.close();
  });
});

describe('attemptOf', () => {
  it('says why the attempt count passes retries + 1', () => {
    expect(attemptOf({ try_number: 2, max_tries: 3, refunded_tries: 0 })).toBe('2 of 4');
    expect(attemptOf({ try_number: 4, max_tries: 4, refunded_tries: 1 })).toBe('4 of 5 (1 interrupted attempt did not count)');
    expect(attemptOf({ try_number: 5, max_tries: 6, refunded_tries: 3 })).toBe('5 of 7 (3 interrupted attempts did not count)');
  });
});
