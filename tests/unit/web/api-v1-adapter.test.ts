// The v1 adapter's pure translations: query strings, trigger bodies, schedules, `fields`, and problem details.
import { describe, expect, it } from 'vitest';
import { fillPath, pickFields, v2Query } from '../../../ui/server/api/v1/adapter.js';
import { triggerBody, listForm } from '../../../ui/server/api/v1/dag-runs.js';
import { scheduleInterval, logText } from '../../../ui/server/api/v1/shapes.js';
import { problemDetail } from '../../../ui/server/api/v1/problems.js';

describe('v2Query', () => {
  it('renames execution_date filters and sort keys, splits update_mask, drops fields, and pages as Airflow 2', () => {
    const q = v2Query(new URLSearchParams('execution_date_gte=2024-01-01T00:00:00Z&order_by=-execution_date&update_mask=is_paused,description&fields=dag_id&only_active=false'), { paged: true });
    expect([...q]).toEqual([
      ['logical_date_gte', '2024-01-01T00:00:00Z'], ['order_by', '-logical_date'], ['update_mask', 'is_paused'], ['update_mask', 'description'],
      ['exclude_stale', 'false'], ['limit', '100'],
    ]);
    expect(v2Query(new URLSearchParams('limit=0'), { paged: true }).get('limit')).toBe('100');
    expect(v2Query(new URLSearchParams('limit=5000'), { paged: true }).get('limit')).toBe('100');
    expect(v2Query(new URLSearchParams('limit=7'), { paged: true }).get('limit')).toBe('7');
    expect(() => v2Query(new URLSearchParams('limit=-1'), { paged: true })).toThrow('Page limit must be a positive integer');
    expect(v2Query(new URLSearchParams(''), { queryDefaults: { stringify: 'true' } }).get('stringify')).toBe('true');
    expect(v2Query(new URLSearchParams('stringify=false'), { queryDefaults: { stringify: 'true' } }).get('stringify')).toBe('false');
  });
});

describe('fillPath', () => {
  it('fills and escapes parameters, renamed or with a regex', () => {
    expect(fillPath('/dags/:dag_id/dagRuns/:dag_run_id/x/:map_index{-?[0-9]+}/logs/:try_number', { dag_id: 'a b', dag_run_id: 'manual__2024-01-01T00:00:00+00:00', map_index: '3', task_try_number: '2' }, { task_try_number: 'try_number' }))
      .toBe('/dags/a%20b/dagRuns/manual__2024-01-01T00%3A00%3A00%2B00%3A00/x/3/logs/2');
  });
});

describe('triggerBody', () => {
  const now = new Date('2024-06-01T12:00:00Z');
  it('takes execution_date as logical_date, defaults to now as Airflow 2 did, and refuses two different dates', () => {
    expect(triggerBody({ execution_date: '2024-01-01T00:00:00Z', conf: { a: 1 } }, now)).toEqual({ logical_date: '2024-01-01T00:00:00Z', conf: { a: 1 } });
    expect(triggerBody({ dag_run_id: 'x' }, now)).toEqual({ dag_run_id: 'x', logical_date: '2024-06-01T12:00:00.000Z' });
    expect(triggerBody({ logical_date: 'b', execution_date: 'b' }, now)).toEqual({ logical_date: 'b' });
    expect(() => triggerBody({ logical_date: 'a', execution_date: 'b' }, now)).toThrow(/conflicts/);
  });
  it('renames batch form filters and sort keys', () => {
    expect(listForm({ execution_date_lte: 'x', order_by: '-execution_date', page_limit: 5 })).toEqual({ logical_date_lte: 'x', order_by: '-logical_date', page_limit: 5 });
  });
});

describe('shapes', () => {
  it('reads schedules as v1 ScheduleInterval', () => {
    expect(scheduleInterval('None')).toBeNull();
    expect(scheduleInterval(null)).toBeNull();
    expect(scheduleInterval('0 3 * * *')).toEqual({ __type: 'CronExpression', value: '0 3 * * *' });
    expect(scheduleInterval('2 days, 1:02:03.000500')).toEqual({ __type: 'TimeDelta', days: 2, seconds: 3723, microseconds: 500 });
    expect(scheduleInterval('0:30:00')).toEqual({ __type: 'TimeDelta', days: 0, seconds: 1800, microseconds: 0 });
  });
  it('joins v2 log lines into v1 text', () => {
    expect(logText(['a', { event: 'b', timestamp: '2024-01-01T00:00:00Z', level: 'info' }, { event: 'c' }])).toBe('a\n[2024-01-01T00:00:00Z] {info} b\nc');
  });
  it('keeps only the `fields` asked for, in collections and single objects', () => {
    expect(pickFields({ dags: [{ a: 1, b: 2 }], total_entries: 1 }, ['a'])).toEqual({ dags: [{ a: 1 }], total_entries: 1 });
    expect(pickFields({ a: 1, tags: [], b: 2 }, ['tags'])).toEqual({ tags: [] });
    expect(pickFields({ a: 1 }, [])).toEqual({ a: 1 });
  });
});

describe('problemDetail', () => {
  it('says each validation problem on one line under its v1 name', () => {
    expect(problemDetail([{ loc: ['query', 'logical_date_gte'], msg: 'bad date', type: 'x' }, { loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }]))
      .toBe('execution_date_gte: bad date; body: JSON decode error');
    expect(problemDetail({ reason: 'Unique constraint violation', statement: 'hidden', message: 'Serious error' })).toBe('Serious error');
    expect(problemDetail('plain')).toBe('plain');
  });
});
