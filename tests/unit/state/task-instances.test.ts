// The task-instance repository's run-loop queries on a real state database: an attempt's end recorded only over the
// attempt that is still running, and depends_on_past's look at the previous run.
import { describe, expect, it } from 'vitest';
import { Store } from '../../../engine/state/store.js';
import type { RunType } from '../../../engine/types.js';
import { tempDir } from '../../support/tmp.js';

const DAY = 86_400_000;

function withRuns(runs: { runId: string; day: number; runType: RunType }[]): Store {
  const store = Store.open(tempDir());
  for (const r of runs) {
    const d = new Date(Date.UTC(2024, 3, r.day));
    store.runs.create(
      { dagId: 'd', runId: r.runId, runType: r.runType, logicalDate: d, dataIntervalStart: d, dataIntervalEnd: new Date(d.getTime() + DAY), conf: {}, externalTrigger: false },
      [{ taskId: 't', operator: 'bash', pool: 'default_pool', poolSlots: 1, priorityWeight: 1, maxTries: 0 }],
    );
  }
  return store;
}

const attempt = { hostname: 'h', pid: process.pid, jobId: null };

describe('finishAttempt', () => {
  it('ends the running try and records it in the history', () => {
    const store = withRuns([{ runId: 'r', day: 1, runType: 'scheduled' }]);
    const k = { dagId: 'd', runId: 'r', taskId: 't' };
    store.tis.start(k, attempt);
    const row = store.tis.finishAttempt(k, 1, 'success');
    expect(row).toMatchObject({ state: 'success', try_number: 1 });
    expect(row!.end_date).not.toBeNull();
    expect(store.tis.attempts(k).map((a) => [a.try_number, a.state])).toEqual([[1, 'success']]);
  });

  it('leaves a task instance marked or restarted meanwhile as it was set, and says so with undefined', () => {
    const store = withRuns([{ runId: 'r', day: 1, runType: 'scheduled' }]);
    const k = { dagId: 'd', runId: 'r', taskId: 't' };
    store.tis.start(k, attempt);
    store.tis.mark(k, 'failed');
    expect(store.tis.finishAttempt(k, 1, 'success')).toBeUndefined();
    expect(store.tis.get(k)?.state).toBe('failed');
    store.tis.start(k, attempt); // try 2 runs now: the end of try 1 must not land on it
    expect(store.tis.finishAttempt(k, 1, 'success')).toBeUndefined();
    expect(store.tis.get(k)).toMatchObject({ state: 'running', try_number: 2 });
    expect(store.tis.attempts(k)).toEqual([]);
  });
});

describe('inPreviousRun', () => {
  it("gives the task's state in the latest earlier run, leaving manual runs out when asked", () => {
    const store = withRuns([
      { runId: 'first', day: 1, runType: 'scheduled' },
      { runId: 'manual', day: 2, runType: 'manual' },
      { runId: 'third', day: 3, runType: 'scheduled' },
    ]);
    store.tis.mark({ dagId: 'd', runId: 'first', taskId: 't' }, 'success');
    store.tis.mark({ dagId: 'd', runId: 'manual', taskId: 't' }, 'failed');
    const before = new Date(Date.UTC(2024, 3, 3)).toISOString();
    expect(store.tis.inPreviousRun({ dagId: 'd', taskId: 't', before, skipManual: false })).toEqual({ state: 'failed' });
    expect(store.tis.inPreviousRun({ dagId: 'd', taskId: 't', before, skipManual: true })).toEqual({ state: 'success' });
    expect(store.tis.inPreviousRun({ dagId: 'd', taskId: 't', before: new Date(Date.UTC(2024, 3, 1)).toISOString(), skipManual: false })).toBeUndefined();
    expect(store.tis.inPreviousRun({ dagId: 'd', taskId: 'other', before, skipManual: false })).toBeUndefined();
  });
});
