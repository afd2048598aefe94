// Real dag-factory files (dag-factory's README examples) and our two fixtures load to the specs Airflow would build.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDagFile } from '../../../engine/dag/index.js';
import type { TaskSpec } from '../../../engine/types.js';
import { FIXTURES } from '../../support/paths.js';
import { builtinRegistry, loadText, NOW, shown, task } from './helpers.js';

const utc = (iso: string) => new Date(iso);

/** A TaskSpec with Airflow's defaults (airflow/models/baseoperator.py) and the given fields. */
function taskWith(fields: Partial<TaskSpec> & Pick<TaskSpec, 'taskId' | 'operator'>): TaskSpec {
  return {
    args: {},
    upstream: [],
    triggerRule: 'all_success',
    retries: 0,
    retryDelaySec: 300,
    retryExponentialBackoff: false,
    maxRetryDelaySec: null,
    executionTimeoutSec: null,
    pool: 'default_pool',
    poolSlots: 1,
    priorityWeight: 1,
    weightRule: 'downstream',
    dependsOnPast: false,
    owner: 'airflow',
    startDate: null,
    endDate: null,
    group: null,
    doc: null,
    line: null,
    ...fields,
  };
}

const EXAMPLE_1 = `default:
  default_args:
    start_date: 2024-11-11
basic_example_dag:
  default_args: {owner: "custom_owner"}
  description: "this is an example dag"
  schedule: "0 3 * * *"
  render_template_as_native_obj: True
  catchup: false
  task_groups:
    - group_name: "example_task_group"
      tooltip: "this is an example task group"
      dependencies: [task_1]
  tasks:
    - task_id: "task_1"
      operator: airflow.operators.bash.BashOperator
      bash_command: "echo 1"
    - task_id: "task_2"
      operator: airflow.operators.bash.BashOperator
      bash_command: "echo 2"
      dependencies: [task_1]
    - task_id: "task_3"
      operator: airflow.operators.bash.BashOperator
      bash_command: "echo 3"
      dependencies: [task_1]
      task_group_name: "example_task_group"
`;

const EXAMPLE_2 = `example_dag1:
  default_args:
    owner: 'example_owner'
    start_date: 2018-01-01  # or '2 days'
    end_date: 2018-01-05
    retries: 1
    retry_delay_sec: 300
  schedule_interval: '0 3 * * *'
  concurrency: 1
  max_active_runs: 1
  dagrun_timeout_sec: 60
  default_view: 'tree'
  orientation: 'LR'
  description: 'this is an example dag!'
  on_success_callback_name: print_hello
  on_success_callback_file: /usr/local/airflow/dags/print_hello.py
  tasks:
    task_1: {operator: airflow.operators.bash_operator.BashOperator, bash_command: 'echo 1'}
    task_2: {operator: airflow.operators.bash_operator.BashOperator, bash_command: 'echo 2', dependencies: [task_1]}
    task_3: {operator: airflow.operators.bash_operator.BashOperator, bash_command: 'echo 3', dependencies: [task_1]}
`;

const EXAMPLE_3 = `default:
  default_args:
    start_date: '2024-01-01'
  schedule: 0 0 * * *
  catchup: false
  tags:
    - dynamic
  tasks:
    - task_id: "extract"
      operator: airflow.operators.bash.BashOperator
      bash_command: "echo extract"
    - task_id: "transform"
      operator: airflow.operators.bash.BashOperator
      bash_command: "echo transform"
      dependencies:
      - extract
    - task_id: "load"
      operator: airflow.operators.bash.BashOperator
      dependencies:
      - transform

machine_learning:
  tasks:
    - task_id: "load"
      bash_command: "echo machine_learning"

data_science:
  tasks:
    - task_id: "load"
      bash_command: "echo data_science"

artificial_intelligence:
  tasks:
    - task_id: "load"
      bash_command: "echo artificial_intelligence"
`;

describe('dag-factory examples (dag-factory README)', () => {
  it('Example 1: list format, a default block, a task group depending on a task', () => {
    const { dags, problems } = loadText(EXAMPLE_1);
    expect(problems).toEqual([]);
    expect(dags).toHaveLength(1);
    const [dag] = dags;
    expect(dag).toMatchObject({
      dagId: 'basic_example_dag',
      description: 'this is an example dag',
      schedule: { kind: 'cron', expr: '0 3 * * *', source: '0 3 * * *' },
      timezone: 'UTC',
      startDate: utc('2024-11-11T00:00:00Z'),
      endDate: null,
      catchup: false,
      maxActiveRuns: 16,
      maxActiveTasks: 16,
      owner: 'custom_owner',
      line: 4,
    });
    const start = utc('2024-11-11T00:00:00Z');
    expect(dag.tasks).toEqual([
      taskWith({ taskId: 'task_1', operator: 'bash', args: { bash_command: 'echo 1' }, owner: 'custom_owner', startDate: start, line: 15 }),
      taskWith({ taskId: 'task_2', operator: 'bash', args: { bash_command: 'echo 2' }, upstream: ['task_1'], owner: 'custom_owner', startDate: start, line: 18 }),
      taskWith({
        taskId: 'example_task_group.task_3',
        operator: 'bash',
        args: { bash_command: 'echo 3' },
        upstream: ['task_1'],
        group: 'example_task_group',
        owner: 'custom_owner',
        startDate: start,
        line: 22,
      }),
    ]);
  });

  it('Example 2: the legacy dict format with schedule_interval, *_sec durations and concurrency; callbacks are ignored', () => {
    const { dags, problems } = loadText(EXAMPLE_2);
    expect(problems).toEqual([]);
    const [dag] = dags;
    expect(dag).toMatchObject({
      dagId: 'example_dag1',
      description: 'this is an example dag!',
      schedule: { kind: 'cron', expr: '0 3 * * *', source: '0 3 * * *' },
      startDate: utc('2018-01-01T00:00:00Z'),
      endDate: utc('2018-01-05T00:00:00Z'),
      catchup: true,
      maxActiveRuns: 1,
      maxActiveTasks: 1,
      dagrunTimeoutSec: 60,
      owner: 'example_owner',
    });
    const common = { operator: 'bash', owner: 'example_owner', retries: 1, retryDelaySec: 300, startDate: utc('2018-01-01T00:00:00Z'), endDate: utc('2018-01-05T00:00:00Z') };
    expect(dag.tasks).toEqual([
      taskWith({ ...common, taskId: 'task_1', args: { bash_command: 'echo 1' }, line: 18 }),
      taskWith({ ...common, taskId: 'task_2', args: { bash_command: 'echo 2' }, upstream: ['task_1'], line: 19 }),
      taskWith({ ...common, taskId: 'task_3', args: { bash_command: 'echo 3' }, upstream: ['task_1'], line: 20 }),
    ]);
  });

  it('Example 3: template tasks of the default block are merged by task_id into every DAG', () => {
    const { dags, problems } = loadText(EXAMPLE_3);
    expect(problems).toEqual([]);
    expect(dags.map((d) => d.dagId)).toEqual(['machine_learning', 'data_science', 'artificial_intelligence']);
    for (const dag of dags) {
      expect(dag).toMatchObject({ schedule: { kind: 'cron', expr: '0 0 * * *' }, catchup: false, tags: ['dynamic'], startDate: utc('2024-01-01T00:00:00Z') });
      expect(dag.tasks.map((t) => [t.taskId, t.upstream, t.args.bash_command])).toEqual([
        ['extract', [], 'echo extract'],
        ['transform', ['extract'], 'echo transform'],
        ['load', ['transform'], `echo ${dag.dagId}`],
      ]);
      // the DAG's own `load` is where a problem in it would be reported
      expect(task(dag, 'load').line).toBe(EXAMPLE_3.split('\n').indexOf(`${dag.dagId}:`) + 3);
    }
  });

  it("reports a problem in the default block's template tasks at the template's line, for each DAG", () => {
    const broken = EXAMPLE_3.replace('      bash_command: "echo extract"', '      bash_command: 7');
    const { dags, problems } = loadText(broken);
    expect(dags).toEqual([]);
    expect(problems.map(shown)).toEqual(
      ['machine_learning', 'data_science', 'artificial_intelligence'].map(() => "dag.yaml:11:21: task 'extract': bash_command: expected a string, got 7"),
    );
    expect(problems.map((p) => p.dagId)).toEqual(['machine_learning', 'data_science', 'artificial_intelligence']);
  });
});

describe('fixtures', () => {
  const registry = builtinRegistry();

  it('example_etl.yaml: a task group between tasks, a timedelta, the DAG time zone for dates', () => {
    const file = path.join(FIXTURES, 'dag/example_etl.yaml');
    const { dags, problems } = loadDagFile(file, registry, { now: NOW });
    expect(problems).toEqual([]);
    const [dag] = dags;
    const start = utc('2024-02-29T23:00:00Z'); // 2024-03-01 00:00 in Paris
    expect(dag).toMatchObject({
      dagId: 'etl_daily',
      fileloc: file,
      schedule: { kind: 'cron', expr: '0 0 * * *', source: '@daily' },
      timezone: 'Europe/Paris',
      startDate: start,
      catchup: false,
      maxActiveRuns: 1,
      tags: ['example', 'etl'],
      params: { source: 'sensors' },
      owner: 'data',
    });
    const common = { operator: 'bash', owner: 'data', retries: 2, retryDelaySec: 300, startDate: start };
    expect(dag.tasks).toEqual([
      taskWith({ ...common, taskId: 'extract', args: { bash_command: 'echo "extract {{ params.source }} for {{ ds }}"' }, executionTimeoutSec: 600, line: 22 }),
      taskWith({ ...common, taskId: 'transform.clean', args: { bash_command: 'echo clean' }, upstream: ['extract'], group: 'transform', line: 26 }),
      taskWith({ ...common, taskId: 'transform.aggregate', args: { bash_command: 'echo aggregate' }, upstream: ['transform.clean'], group: 'transform', line: 30 }),
      taskWith({ ...common, taskId: 'load', args: { bash_command: 'echo load' }, upstream: ['transform.aggregate'], priorityWeight: 5, line: 35 }),
      taskWith({ ...common, taskId: 'notify', operator: 'empty', args: {}, upstream: ['load'], triggerRule: 'all_done', line: 40 }),
    ]);
  });

  it('example_legacy.yaml: tasks keyed by id, legacy names for the schedule, concurrency and durations', () => {
    const file = path.join(FIXTURES, 'dag/example_legacy.yaml');
    const { dags, problems } = loadDagFile(file, registry, { now: NOW });
    expect(problems).toEqual([]);
    const [dag] = dags;
    expect(dag).toMatchObject({
      dagId: 'legacy_report',
      schedule: { kind: 'cron', expr: '30 6 * * 1-5', source: '30 6 * * 1-5' },
      startDate: utc('2024-01-01T00:00:00Z'),
      endDate: utc('2024-12-31T00:00:00Z'),
      maxActiveTasks: 2,
      maxActiveRuns: 1,
      dagrunTimeoutSec: 3600,
      catchup: true,
    });
    expect(dag.tasks.map((t) => [t.taskId, t.upstream, t.retries, t.retryDelaySec, t.executionTimeoutSec, t.owner])).toEqual([
      ['fetch', [], 1, 120, 900, 'reports'],
      ['publish', ['fetch'], 3, 120, 900, 'reports'],
    ]);
  });
});
