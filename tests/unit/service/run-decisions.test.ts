// The service layer's pure decisions: what marking a run does to each task instance, which tasks a selection with
// upstream / downstream names, the only_failed / only_running filters, and why a task instance is not running yet.
import { describe, expect, it } from 'vitest';
import { taskStateForRunState } from '../../../engine/service/patch-run.js';
import { passesStateFilter, selectTaskIds } from '../../../engine/service/clear.js';
import { failedDependencies, type DependencyFacts } from '../../../engine/service/task-dependencies.js';
import type { DagSpec, TaskSpec } from '../../../engine/types.js';

const task = (taskId: string, upstream: string[] = [], extra: Partial<TaskSpec> = {}) => ({ taskId, upstream, triggerRule: 'all_success', dependsOnPast: false, ...extra }) as TaskSpec;
// a -> b -> c, a -> d
const dag = { dagId: 'd', tasks: [task('a'), task('b', ['a']), task('c', ['b']), task('d', ['a'])] } as DagSpec;

describe('taskStateForRunState (set_dag_run_state_to_*)', () => {
  it('success marks every instance success; failed fails the running ones and skips those that have not run', () => {
    expect([null, 'running', 'failed', 'skipped', 'success'].map((s) => taskStateForRunState('success', s as never))).toEqual(['success', 'success', 'success', 'success', null]);
    expect([null, 'scheduled', 'queued', 'up_for_retry', 'running', 'success', 'failed', 'upstream_failed'].map((s) => taskStateForRunState('failed', s as never)))
      .toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'failed', null, null, null]);
    expect(taskStateForRunState('queued', 'failed')).toBeNull();
  });
});

describe('selectTaskIds (partial_subset)', () => {
  it('grows a selection by upstream and downstream tasks, transitively, and keeps unknown ids as given', () => {
    expect([...selectTaskIds(dag, ['b'], false, false)]).toEqual(['b']);
    expect([...selectTaskIds(dag, ['b'], true, false)].sort()).toEqual(['a', 'b']);
    expect([...selectTaskIds(dag, ['a'], false, true)].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect([...selectTaskIds(dag, ['c', 'zz'], true, true)].sort()).toEqual(['a', 'b', 'c', 'zz']);
  });

  it('only_failed keeps failed and upstream_failed; only_running keeps running', () => {
    expect((['failed', 'upstream_failed', 'success', null] as const).map((s) => passesStateFilter(s, { onlyFailed: true }))).toEqual([true, true, false, false]);
    expect((['running', 'queued'] as const).map((s) => passesStateFilter(s, { onlyRunning: true }))).toEqual([true, false]);
    expect(passesStateFilter(null, {})).toBe(true);
  });
});

describe('failedDependencies (ti_deps)', () => {
  const facts = (over: Partial<DependencyFacts> = {}): DependencyFacts => ({
    state: null, task: task('b', ['a']), upstream: [{ taskId: 'a', state: 'success' }], runState: 'running', dagPaused: false, pool: 'default_pool',
    poolSlots: 1, poolSize: 128, poolOccupied: 0, dagActive: 0, maxActiveTasks: 16, nextRetryAt: null, now: new Date('2024-01-01T00:00:00Z'), ...over,
  });
  const names = (f: DependencyFacts) => failedDependencies(f).map((d) => d.name);

  it('has nothing to say when every dependency is met, or when the instance is not waiting to run', () => {
    expect(failedDependencies(facts())).toEqual([]);
    expect(failedDependencies(facts({ state: 'running', runState: 'queued' }))).toEqual([]);
    expect(failedDependencies(facts({ state: 'success', dagPaused: true }))).toEqual([]);
  });

  it('names each unmet dependency as Airflow does, sorted', () => {
    expect(names(facts({ upstream: [{ taskId: 'a', state: 'running' }] }))).toEqual(['Trigger Rule']);
    expect(names(facts({ runState: 'queued', dagPaused: true }))).toEqual(['Dag Not Paused', 'Dagrun Running']);
    expect(failedDependencies(facts({ poolSize: 2, poolOccupied: 2 }))).toEqual([{ name: 'Pool Slots Available', reason: 'Not scheduling since there are 0 open slots in pool default_pool and require 1 pool slots.' }]);
    expect(names(facts({ poolSize: undefined }))).toEqual(['Pool Slots Available']);
    expect(names(facts({ dagActive: 16 }))).toEqual(['Task Instance Slots Available']);
    expect(names(facts({ state: 'up_for_retry', nextRetryAt: '2024-01-01T00:05:00Z' }))).toEqual(['Not In Retry Period']);
    expect(names(facts({ state: 'up_for_retry', nextRetryAt: '2023-12-31T23:59:00Z' }))).toEqual([]);
    expect(names(facts({ task: task('b', ['a'], { dependsOnPast: true }), previousState: 'failed' }))).toEqual(['Previous Dagrun State']);
    expect(names(facts({ task: undefined }))).toEqual(['Task Exists']);
  });

  it('says when an upstream failure will be propagated', () => {
    const [dep] = failedDependencies(facts({ upstream: [{ taskId: 'a', state: 'failed' }] }));
    expect(dep.reason).toBe("Task's trigger rule 'all_success' is not met by its upstream tasks: a (failed). It will be set upstream_failed.");
  });
});
