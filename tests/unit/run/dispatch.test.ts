import { describe, expect, it } from 'vitest';
import { pickDispatchable, type Candidate, type Capacity } from '../../../engine/run/dispatch.js';

function cand(dagId: string, taskId: string, weight: number, logical: string, pool = 'default_pool', maxActiveTasks = 16, slots = 1): Candidate {
  return {
    run: { dag: { dagId, maxActiveTasks }, row: { logical_date: logical } } as never,
    ti: { task_id: taskId, priority_weight: weight, pool, pool_slots: slots } as never,
    task: {} as never,
  };
}

const roomy: Capacity = { freeSlots: 100, activeForDag: () => 0, poolSlots: () => 128, occupiedSlots: () => 0 };
const ids = (cs: Candidate[]) => cs.map((c) => `${c.run.dag.dagId}.${c.ti.task_id}`);

describe('pickDispatchable', () => {
  it('orders by priority weight, then logical date', () => {
    const picked = pickDispatchable(
      [cand('d', 'low', 1, '2024-01-01'), cand('d', 'high', 5, '2024-01-02'), cand('d', 'old', 1, '2023-12-31')],
      { ...roomy, freeSlots: 2 },
    );
    expect(ids(picked)).toEqual(['d.high', 'd.old']);
  });

  it("respects each DAG's max_active_tasks, counting what already runs", () => {
    const picked = pickDispatchable(
      [cand('a', 't1', 1, '2024-01-01', 'default_pool', 2), cand('a', 't2', 1, '2024-01-01', 'default_pool', 2), cand('b', 't1', 1, '2024-01-01', 'default_pool', 2)],
      { ...roomy, activeForDag: (d) => (d === 'a' ? 1 : 0) },
    );
    expect(ids(picked)).toEqual(['a.t1', 'b.t1']);
  });

  it('never takes more pool slots than are open, and skips a task that does not fit for one that does', () => {
    const picked = pickDispatchable(
      [cand('d', 'big', 9, '2024-01-01', 'p', 16, 3), cand('d', 'one', 1, '2024-01-01', 'p'), cand('d', 'two', 1, '2024-01-01', 'p'), cand('d', 'x', 1, '2024-01-01', 'missing')],
      { ...roomy, poolSlots: (p) => (p === 'p' ? 4 : undefined), occupiedSlots: (p) => (p === 'p' ? 2 : 0) },
    );
    expect(ids(picked)).toEqual(['d.one', 'd.two']);
  });

  it('takes any number of slots from a pool of -1 slots (unlimited)', () => {
    const picked = pickDispatchable(
      [cand('d', 'big', 9, '2024-01-01', 'p', 16, 300), cand('d', 'one', 1, '2024-01-01', 'p')],
      { ...roomy, poolSlots: (p) => (p === 'p' ? -1 : undefined), occupiedSlots: () => 1000 },
    );
    expect(ids(picked)).toEqual(['d.big', 'd.one']);
  });
});
