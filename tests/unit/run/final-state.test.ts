import { describe, expect, it } from 'vitest';
import { finalRunState, isFinished, isUnfinished, type TiSummary } from '../../../engine/run/final-state.js';
import { TASK_STATES, type TaskState } from '../../../engine/types.js';

const tis = (states: Record<string, TaskState>): TiSummary[] => Object.entries(states).map(([taskId, state]) => ({ taskId, state }));
const leaves = (...ids: string[]) => new Set(ids);
const base = { anyRunnable: false, dependsOnPast: false };

describe('isFinished / isUnfinished', () => {
  it("split the states like Airflow's State.finished / State.unfinished", () => {
    const finished = [...TASK_STATES, null].filter(isFinished);
    expect(finished.sort()).toEqual(['failed', 'removed', 'skipped', 'success', 'upstream_failed']);
    expect([...TASK_STATES, null].filter(isUnfinished)).toEqual(['scheduled', 'queued', 'running', 'up_for_retry', 'restarting', null]);
  });
});

describe('finalRunState', () => {
  it('is success when every leaf succeeded or was skipped', () => {
    expect(finalRunState({ ...base, tis: tis({ a: 'success', b: 'success', c: 'skipped' }), leafTaskIds: leaves('b', 'c') })).toBe('success');
  });

  it('is failed when a leaf failed or is upstream_failed and nothing is unfinished', () => {
    expect(finalRunState({ ...base, tis: tis({ a: 'success', b: 'failed', c: 'success' }), leafTaskIds: leaves('b', 'c') })).toBe('failed');
    expect(finalRunState({ ...base, tis: tis({ a: 'failed', b: 'upstream_failed' }), leafTaskIds: leaves('b') })).toBe('failed');
  });

  it('is success when an all_done leaf succeeded after a failure in the middle', () => {
    expect(finalRunState({ ...base, tis: tis({ a: 'failed', b: 'upstream_failed', cleanup: 'success' }), leafTaskIds: leaves('cleanup') })).toBe('success');
  });

  it('ignores removed leaves', () => {
    expect(finalRunState({ ...base, tis: tis({ a: 'success', gone: 'removed' }), leafTaskIds: leaves('a', 'gone') })).toBe('success');
  });

  it('is success when every leaf was removed', () => {
    expect(finalRunState({ ...base, tis: tis({ a: 'success', gone: 'removed' }), leafTaskIds: leaves('gone') })).toBe('success');
  });

  it('keeps running while a task is unfinished and something can run, even after a leaf failed', () => {
    const t = tis({ a: 'running', b: 'failed', c: null });
    expect(finalRunState({ ...base, anyRunnable: true, tis: t, leafTaskIds: leaves('b', 'c') })).toBe('running');
    expect(finalRunState({ ...base, anyRunnable: true, tis: tis({ a: 'up_for_retry', b: null }), leafTaskIds: leaves('b') })).toBe('running');
  });

  it('is failed (deadlocked) when tasks are unfinished and nothing can run', () => {
    // all_success under a removed upstream never passes nor propagates (trigger_rule_dep.py)
    expect(finalRunState({ ...base, tis: tis({ gone: 'removed', b: null }), leafTaskIds: leaves('b') })).toBe('failed');
  });

  it('does not call a deadlock when a task depends on the past', () => {
    expect(finalRunState({ anyRunnable: false, dependsOnPast: true, tis: tis({ a: null, b: null }), leafTaskIds: leaves('b') })).toBe('running');
  });
});
