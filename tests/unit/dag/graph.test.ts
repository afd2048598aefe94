// The task graph: order, leaves, reachability, cycles named task by task, and Airflow's priority weight totals
// (Airflow priority-weight docs: downstream = own + all descendants, upstream = own + all ancestors, absolute = own).
import { describe, expect, it } from 'vitest';
import { ancestors, descendants, downstream, findCycle, leaves, priorityWeights, roots, topoOrder, upstream } from '../../../engine/dag/index.js';
import type { DagSpec } from '../../../engine/types.js';
import { loadText, shown } from './helpers.js';

/** A diamond a -> (b, c) -> d, plus a lone task e; weights a1 b2 c3 d4 e5. */
function diamond(rules: Record<string, string> = {}): DagSpec {
  const t = (id: string, w: number, deps: string[] = []) =>
    `    - {task_id: ${id}, operator: empty, priority_weight: ${w}${rules[id] ? `, weight_rule: ${rules[id]}` : ''}${deps.length ? `, dependencies: [${deps.join(', ')}]` : ''}}`;
  const text = ['diamond:', '  tasks:', t('a', 1), t('b', 2, ['a']), t('c', 3, ['a']), t('d', 4, ['b', 'c']), t('e', 5), ''].join('\n');
  const { dags, problems } = loadText(text);
  expect(problems.map(shown)).toEqual([]);
  return dags[0];
}

describe('task graph', () => {
  it('orders tasks after their upstream tasks, and finds roots and leaves in file order', () => {
    const dag = diamond();
    const order = topoOrder(dag);
    expect([...order].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    for (const t of dag.tasks) for (const u of t.upstream) expect(order.indexOf(u)).toBeLessThan(order.indexOf(t.taskId));
    expect(roots(dag)).toEqual(['a', 'e']);
    expect(leaves(dag)).toEqual(['d', 'e']);
  });

  it('direct and transitive neighbours', () => {
    const dag = diamond();
    expect(downstream(dag, 'a').sort()).toEqual(['b', 'c']);
    expect(upstream(dag, 'd').sort()).toEqual(['b', 'c']);
    expect([...descendants(dag, 'a')].sort()).toEqual(['b', 'c', 'd']);
    expect([...ancestors(dag, 'd')].sort()).toEqual(['a', 'b', 'c']);
    expect(descendants(dag, 'e').size).toBe(0);
    expect(descendants(dag, 'nope').size).toBe(0);
  });

  it('priority weights of a DAG wider than a bitset word equal the sums over descendants and ancestors', () => {
    const lines = ['wide:', '  tasks:'];
    for (let l = 0; l < 4; l++) {
      for (let i = 0; i < 25; i++) {
        const deps = l ? `, dependencies: [${[i, (i + 7) % 25].map((j) => `l${l - 1}_${j}`).join(', ')}]` : '';
        lines.push(`    - {task_id: l${l}_${i}, operator: empty, priority_weight: ${(l * 25 + i) % 9 + 1}${i % 3 === 0 ? ', weight_rule: upstream' : ''}${deps}}`);
      }
    }
    const { dags, problems } = loadText(lines.join('\n') + '\n');
    expect(problems.map(shown)).toEqual([]);
    const dag = dags[0];
    const own = new Map(dag.tasks.map((t) => [t.taskId, t.priorityWeight]));
    const total = (ids: Set<string>) => [...ids].reduce((s, id) => s + own.get(id)!, 0);
    const weights = priorityWeights(dag);
    for (const t of dag.tasks) {
      expect(weights.get(t.taskId), t.taskId).toBe(t.priorityWeight + total(t.weightRule === 'upstream' ? ancestors(dag, t.taskId) : descendants(dag, t.taskId)));
    }
  });

  it('priority weights, downstream by default: each descendant counted once', () => {
    expect(Object.fromEntries(priorityWeights(diamond()))).toEqual({ a: 1 + 2 + 3 + 4, b: 2 + 4, c: 3 + 4, d: 4, e: 5 });
  });

  it('priority weights with the upstream and absolute rules', () => {
    const w = priorityWeights(diamond({ a: 'upstream', d: 'upstream', b: 'absolute' }));
    expect(Object.fromEntries(w)).toEqual({ a: 1, b: 2, c: 3 + 4, d: 4 + 1 + 2 + 3, e: 5 });
  });

  it('names the tasks of a cycle', () => {
    const tasks = [
      { taskId: 'x', upstream: [] },
      { taskId: 'a', upstream: ['x', 'c'] },
      { taskId: 'b', upstream: ['a'] },
      { taskId: 'c', upstream: ['b'] },
    ];
    expect(findCycle(tasks)).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle([{ taskId: 'self', upstream: ['self'] }])).toEqual(['self', 'self']);
    expect(findCycle(tasks.map((t) => (t.taskId === 'a' ? { ...t, upstream: ['x'] } : t)))).toBeNull();
  });

  it('a cycle through task groups is reported with the full task ids', () => {
    const text = [
      'd:',
      '  task_groups:',
      '    - {group_name: g, dependencies: [last]}',
      '  tasks:',
      '    - {task_id: first, operator: empty, task_group_name: g}',
      '    - {task_id: last, operator: empty, dependencies: [g]}',
      '',
    ].join('\n');
    expect(loadText(text).problems.map(shown)).toEqual([
      "dag.yaml:3:38: cycle: g.first -> last -> g.first in DAG 'd': a task cannot run after itself; remove one of these dependencies",
    ]);
  });
});
