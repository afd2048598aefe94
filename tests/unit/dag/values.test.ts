// Schedules, dates, durations and where each task setting comes from (task > group default_args > DAG
// default_args > Airflow's default).
import { describe, expect, it } from 'vitest';
import type { DagSpec, ScheduleSpec } from '../../../engine/types.js';
import { loadText, shown, task } from './helpers.js';

function oneDag(text: string): DagSpec {
  const { dags, problems } = loadText(text);
  expect(problems.map(shown)).toEqual([]);
  expect(dags).toHaveLength(1);
  return dags[0];
}

const scheduleOf = (line: string): ScheduleSpec => oneDag(`d:\n${line}  tasks: []\n`).schedule;

describe('schedules (Airflow cron presets)', () => {
  it.each([
    ['@hourly', '0 * * * *'],
    ['@daily', '0 0 * * *'],
    ['@weekly', '0 0 * * 0'],
    ['@monthly', '0 0 1 * *'],
    ['@quarterly', '0 0 1 */3 *'],
    ['@yearly', '0 0 1 1 *'],
  ])('the preset %s is the cron %s, keeping what the file said', (preset, expr) => {
    expect(scheduleOf(`  schedule: "${preset}"\n`)).toEqual({ kind: 'cron', expr, source: preset });
  });

  it('a cron expression, @once, null and "none"', () => {
    expect(scheduleOf(`  schedule: "*/15  6-18 * * MON-FRI"\n`)).toEqual({ kind: 'cron', expr: '*/15 6-18 * * MON-FRI', source: '*/15  6-18 * * MON-FRI' });
    expect(scheduleOf('  schedule: "@once"\n')).toEqual({ kind: 'once', source: '@once' });
    expect(scheduleOf('  schedule: null\n')).toEqual({ kind: 'none', source: 'None' });
    expect(scheduleOf('  schedule:\n')).toEqual({ kind: 'none', source: 'None' });
    expect(scheduleOf('  schedule: none\n')).toEqual({ kind: 'none', source: 'none' });
  });

  it("no schedule at all is Airflow 2's default, one day", () => {
    expect(scheduleOf('')).toEqual({ kind: 'delta', seconds: 86400, source: '1 day, 0:00:00' });
  });

  it('a timedelta', () => {
    expect(scheduleOf('  schedule: {__type__: datetime.timedelta, hours: 6, minutes: 30}\n')).toEqual({ kind: 'delta', seconds: 23400, source: '6:30:00' });
    expect(scheduleOf('  schedule_interval:\n    __type__: datetime.timedelta\n    days: 2\n')).toEqual({ kind: 'delta', seconds: 172800, source: '2 days, 0:00:00' });
    expect(loadText('d:\n  schedule: {__type__: datetime.timedelta, seconds: 0}\n').problems.map(shown)).toEqual([
      "dag.yaml:2:13: DAG 'd': a timedelta schedule must be longer than 0 seconds, not 0",
    ]);
  });

  it('a CronTriggerTimetable, whose time zone becomes the DAG time zone', () => {
    const dag = oneDag('d:\n  schedule:\n    __type__: airflow.timetables.trigger.CronTriggerTimetable\n    cron: "0 5 * * *"\n    timezone: Europe/Paris\n');
    expect(dag.schedule).toEqual({ kind: 'cron', expr: '0 5 * * *', source: 'CronTriggerTimetable(0 5 * * *)' });
    expect(dag.timezone).toBe('Europe/Paris');
    const clash = loadText(
      'd:\n  timezone: UTC\n  schedule: {__type__: airflow.timetables.trigger.CronTriggerTimetable, cron: "0 5 * * *", timezone: Europe/Paris}\n',
    );
    expect(clash.problems.map(shown)).toEqual([
      "dag.yaml:3:13: the schedule's timezone 'Europe/Paris' differs from the DAG's 'UTC': windsock reads cron in the DAG's time zone, so set only one",
    ]);
  });
});

describe('dates', () => {
  const startOf = (value: string, tz = '') => oneDag(`d:\n${tz}  default_args:\n    start_date: ${value}\n`).startDate?.toISOString();

  it('a date is midnight in the DAG time zone (UTC by default)', () => {
    expect(startOf('2024-01-01')).toBe('2024-01-01T00:00:00.000Z');
    expect(startOf('2024-01-01', '  timezone: Europe/Paris\n')).toBe('2023-12-31T23:00:00.000Z');
    expect(startOf('2024-07-01', '  timezone: Europe/Paris\n')).toBe('2024-06-30T22:00:00.000Z');
  });

  it('default_args.timezone is used when the DAG has no timezone', () => {
    const dag = oneDag('d:\n  default_args:\n    timezone: America/New_York\n    start_date: 2024-01-01\n');
    expect(dag.timezone).toBe('America/New_York');
    expect(dag.startDate?.toISOString()).toBe('2024-01-01T05:00:00.000Z');
  });

  it('ISO datetimes: naive ones in the DAG time zone, ones with an offset as written', () => {
    const tz = '  timezone: Europe/Paris\n';
    expect(startOf('2024-01-01T06:00:00', tz)).toBe('2024-01-01T05:00:00.000Z');
    expect(startOf('"2024-01-01 06:00"', tz)).toBe('2024-01-01T05:00:00.000Z');
    expect(startOf('2024-01-01T06:00:00+00:00', tz)).toBe('2024-01-01T06:00:00.000Z');
    expect(startOf('2024-01-01T06:00:00Z', tz)).toBe('2024-01-01T06:00:00.000Z');
  });

  it("'N days' is the start of today in the DAG time zone minus N days", () => {
    // NOW is 2024-06-15T10:30Z, 12:30 in Paris: today starts at 2024-06-14T22:00Z
    expect(startOf("'2 days'", '  timezone: Europe/Paris\n')).toBe('2024-06-12T22:00:00.000Z');
    expect(startOf('"0 days"')).toBe('2024-06-15T00:00:00.000Z');
  });

  it('a task starts no earlier than its DAG and ends no later', () => {
    const dag = oneDag(
      'd:\n  start_date: 2024-02-01\n  end_date: 2024-03-01\n  tasks:\n    - {task_id: early, operator: empty, start_date: 2024-01-01, end_date: 2024-12-01}\n    - {task_id: late, operator: empty, start_date: 2024-02-10}\n',
    );
    expect(dag.startDate?.toISOString()).toBe('2024-02-01T00:00:00.000Z');
    expect([task(dag, 'early').startDate?.toISOString(), task(dag, 'early').endDate?.toISOString()]).toEqual(['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z']);
    expect(task(dag, 'late').startDate?.toISOString()).toBe('2024-02-10T00:00:00.000Z');
  });
});

describe('task settings', () => {
  it("Airflow's defaults when nothing is set", () => {
    const t = oneDag('d:\n  tasks:\n    - {task_id: t, operator: empty}\n').tasks[0];
    expect(t).toMatchObject({
      retries: 0,
      retryDelaySec: 300,
      retryExponentialBackoff: false,
      maxRetryDelaySec: null,
      executionTimeoutSec: null,
      triggerRule: 'all_success',
      pool: 'default_pool',
      poolSlots: 1,
      priorityWeight: 1,
      weightRule: 'downstream',
      dependsOnPast: false,
      owner: 'airflow',
    });
  });

  it('durations: seconds, timedeltas, the *_sec spellings, null', () => {
    const dag = oneDag(
      [
        'd:',
        '  dagrun_timeout: {__type__: datetime.timedelta, hours: 1, minutes: 30}',
        '  default_args:',
        '    retry_delay: {__type__: datetime.timedelta, days: 1, seconds: 5, milliseconds: 500}',
        '    max_retry_delay: null',
        '    execution_timeout_sec: 90',
        '  tasks:',
        '    - {task_id: a, operator: empty}',
        '    - {task_id: b, operator: empty, retry_delay: 7.5, max_retry_delay: {__type__: timedelta, weeks: 1}, execution_timeout: null}',
        '',
      ].join('\n'),
    );
    expect(dag.dagrunTimeoutSec).toBe(5400);
    expect(task(dag, 'a')).toMatchObject({ retryDelaySec: 86405.5, maxRetryDelaySec: null, executionTimeoutSec: 90 });
    expect(task(dag, 'b')).toMatchObject({ retryDelaySec: 7.5, maxRetryDelaySec: 604800, executionTimeoutSec: null });
  });

  it('the task wins over its groups, inner groups over outer ones, groups over the DAG', () => {
    const dag = oneDag(
      [
        'd:',
        '  default_args: {owner: dag, retries: 1, pool: dag_pool, priority_weight: 2}',
        '  task_groups:',
        '    - {group_name: outer, default_args: {owner: outer, retries: 2}}',
        '    - {group_name: inner, parent_group_name: outer, default_args: {owner: inner}}',
        '  tasks:',
        '    - {task_id: plain, operator: empty}',
        '    - {task_id: in_outer, operator: empty, task_group_name: outer}',
        '    - {task_id: in_inner, operator: empty, task_group_name: inner}',
        '    - {task_id: own, operator: empty, task_group_name: inner, owner: me, retries: 5}',
        '',
      ].join('\n'),
    );
    expect(dag.tasks.map((t) => [t.taskId, t.group, t.owner, t.retries, t.pool, t.priorityWeight])).toEqual([
      ['plain', null, 'dag', 1, 'dag_pool', 2],
      ['outer.in_outer', 'outer', 'outer', 2, 'dag_pool', 2],
      ['outer.inner.in_inner', 'outer.inner', 'inner', 2, 'dag_pool', 2],
      ['outer.inner.own', 'outer.inner', 'me', 5, 'dag_pool', 2],
    ]);
    expect(dag.owner).toBe('dag, outer, inner, me');
  });

  it('default_args pass operator arguments to the operators that take them (as Airflow does)', () => {
    const dag = oneDag(
      'd:\n  default_args: {env: {STAGE: test}, cwd: /tmp}\n  tasks:\n    - {task_id: a, operator: bash, bash_command: env}\n    - {task_id: b, operator: bash, bash_command: env, cwd: /var}\n    - {task_id: c, operator: empty}\n',
    );
    expect(dag.tasks.map((t) => t.args)).toEqual([
      { bash_command: 'env', env: { STAGE: 'test' }, cwd: '/tmp' },
      { bash_command: 'env', cwd: '/var', env: { STAGE: 'test' } },
      {},
    ]);
  });

  it("legacy trigger rule names, dag-factory's operator_aliases, and ignored callbacks and UI keys", () => {
    const dag = oneDag(
      [
        'd:',
        '  default_view: graph',
        '  orientation: LR',
        '  on_failure_callback: alerts.notify',
        '  operator_aliases:',
        '    - {operator_alias: Shell, operator_path: airflow.operators.bash.BashOperator}',
        '  tasks:',
        '    - {task_id: a, operator: Shell, bash_command: "true", on_success_callback_name: f, on_success_callback_file: /x.py}',
        '    - {task_id: b, operator: DummyOperator, trigger_rule: dummy, dependencies: [a]}',
        '    - {task_id: c, operator: EmptyOperator, trigger_rule: none_failed_or_skipped, dependencies: [a]}',
        '',
      ].join('\n'),
    );
    expect(dag.tasks.map((t) => [t.taskId, t.operator, t.triggerRule, t.args])).toEqual([
      ['a', 'bash', 'all_success', { bash_command: 'true' }],
      ['b', 'empty', 'always', {}],
      ['c', 'empty', 'none_failed_min_one_success', {}],
    ]);
  });

  it('task groups: depending on a group means on its last tasks; a group depends through its first tasks', () => {
    const dag = oneDag(
      [
        'd:',
        '  task_groups:',
        '    g: {dependencies: [start]}',
        '    inner: {parent_group_name: g}',
        '  tasks:',
        '    start: {operator: empty}',
        '    a: {operator: empty, task_group_name: g}',
        '    b: {operator: empty, task_group_name: g, dependencies: [a]}',
        '    c: {operator: empty, task_group_name: inner}',
        '    d: {operator: empty, task_group_name: inner, dependencies: [c]}',
        '    e: {operator: empty, task_group_name: g, dependencies: [inner]}',
        '    end: {operator: empty, dependencies: [g]}',
        '',
      ].join('\n'),
    );
    expect(dag.tasks.map((t) => [t.taskId, t.upstream])).toEqual([
      ['start', []],
      ['g.a', ['start']],
      ['g.b', ['g.a']],
      ['g.inner.c', ['start']],
      ['g.inner.d', ['g.inner.c']],
      ['g.e', ['g.inner.d']],
      ['end', ['g.b', 'g.e']],
    ]);
  });
});
