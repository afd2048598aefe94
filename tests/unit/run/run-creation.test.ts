import { describe, expect, it } from 'vitest';
import { dueRuns } from '../../../engine/run/run-creation.js';
import type { DagSpec } from '../../../engine/types.js';

function dag(over: Partial<DagSpec> = {}): DagSpec {
  return {
    dagId: 'd', fileloc: '/x.yaml', description: null, schedule: { kind: 'cron', expr: '0 0 * * *', source: '@daily' }, timezone: 'UTC',
    startDate: new Date('2024-01-01T00:00:00Z'), endDate: null, catchup: true, maxActiveRuns: 16, maxActiveTasks: 16, dagrunTimeoutSec: null,
    tags: [], params: {}, docMd: null, owner: 'airflow', tasks: [], line: null, ...over,
  };
}
const day = (d: string) => new Date(`${d}T00:00:00Z`);
const logical = (r: ReturnType<typeof dueRuns>) => r.create.map((i) => i.logicalDate.toISOString().slice(0, 10));

describe('dueRuns', () => {
  it('with catchup, creates every missed interval after a pause, oldest first', () => {
    const r = dueRuns(dag(), { start: day('2024-01-02'), end: day('2024-01-03') }, 0, new Date('2024-01-06T12:00:00Z'));
    expect(logical(r)).toEqual(['2024-01-03', '2024-01-04', '2024-01-05']);
    expect(r.next?.logicalDate).toEqual(day('2024-01-06'));
    expect(r.next?.runAfter).toEqual(day('2024-01-07'));
  });

  it('without catchup, creates only the latest complete interval after a pause', () => {
    const r = dueRuns(dag({ catchup: false }), { start: day('2024-01-02'), end: day('2024-01-03') }, 0, new Date('2024-01-06T12:00:00Z'));
    expect(logical(r)).toEqual(['2024-01-05']);
  });

  it('stops at max_active_runs, counting runs already active', () => {
    const r = dueRuns(dag({ maxActiveRuns: 3 }), null, 1, new Date('2024-01-10T00:00:00Z'));
    expect(logical(r)).toEqual(['2024-01-01', '2024-01-02']);
    expect(r.atMaxActiveRuns).toBe(true);
  });

  it('creates nothing before the first interval has ended, and honours end_date', () => {
    expect(dueRuns(dag(), null, 0, new Date('2024-01-01T23:59:59Z')).create).toEqual([]);
    const r = dueRuns(dag({ endDate: day('2024-01-03') }), null, 0, new Date('2024-02-01T00:00:00Z'));
    expect(logical(r)).toEqual(['2024-01-01', '2024-01-02', '2024-01-03']);
    expect(r.next).toBeNull();
  });

  it('runs @once exactly once and a none schedule never', () => {
    const once = dag({ schedule: { kind: 'once', source: '@once' } });
    expect(logical(dueRuns(once, null, 0, day('2024-02-01')))).toEqual(['2024-01-01']);
    expect(dueRuns(once, { start: day('2024-01-01'), end: day('2024-01-01') }, 0, day('2024-02-01')).create).toEqual([]);
    expect(dueRuns(dag({ schedule: { kind: 'none', source: 'null' } }), null, 0, day('2024-02-01')).create).toEqual([]);
  });
});
