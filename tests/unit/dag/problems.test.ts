// Every kind of broken DAG file a user can write, reported at the exact line and column with a message that says
// what to change. Problems are collected, not thrown: one bad DAG never hides another.
import { describe, expect, it } from 'vitest';
import { loadText, shown } from './helpers.js';

/** The problems of a file as "dag.yaml:line:column: message". */
function problemsOf(text: string): string[] {
  return loadText(text).problems.map(shown);
}

const bashTask = (id: string, extra = '') => `    - task_id: ${id}\n      operator: bash\n      bash_command: echo ${id}\n${extra}`;

describe('problems in DAG files', () => {
  it('a YAML syntax error, at its position', () => {
    const r = loadText('nightly:\n  schedule: "@daily"\n tasks: []\n');
    expect(r.dags).toEqual([]);
    expect(r.problems.map(shown)).toEqual(['dag.yaml:3:1: invalid YAML: All mapping items must start at the same column']);
    expect(r.problems[0].file).toBe(r.file);
  });

  it('an unknown key, with the key it probably meant', () => {
    expect(problemsOf(`nightly:\n  schedual: "@daily"\n  tasks:\n${bashTask('a')}`)).toEqual([
      "dag.yaml:2:3: unknown key 'schedual' in DAG 'nightly' (did you mean 'schedule'?)",
    ]);
  });

  it('an unknown key in a task and in default_args', () => {
    expect(problemsOf(`nightly:\n  default_args:\n    retires: 2\n  tasks:\n    - task_id: a\n      operator: bash\n      bash_comand: echo a\n`)).toEqual([
      "dag.yaml:3:5: unknown key 'retires' in default_args of DAG 'nightly' (did you mean 'retries'?)",
      "dag.yaml:5:7: task 'a': missing 'bash_command' (a string)",
      "dag.yaml:7:7: task 'a': unknown key 'bash_comand' (did you mean 'bash_command'?)",
    ]);
  });

  it('an unknown operator, with the close names', () => {
    expect(problemsOf('nightly:\n  tasks:\n    - task_id: extract\n      operator: BashOperater\n      bash_command: echo a\n')).toEqual([
      "dag.yaml:4:17: task 'extract': unknown operator 'BashOperater' (did you mean 'BashOperator'?)",
    ]);
    expect(problemsOf('nightly:\n  tasks:\n    - task_id: summarize\n      operator: airflow.operators.python.PythonOperator\n')).toEqual([
      "dag.yaml:4:17: task 'summarize': unknown operator 'airflow.operators.python.PythonOperator': the registered operators are bash, empty; windsock cannot run Python callables: call a script from a bash task instead",
    ]);
  });

  it('a task without an operator', () => {
    expect(problemsOf('nightly:\n  tasks:\n    - task_id: a\n      bash_command: echo a\n')).toEqual([
      "dag.yaml:3:7: task 'a' has no operator: add e.g. 'operator: bash' (or BashOperator)",
    ]);
  });

  it('a dependency on a task that does not exist', () => {
    expect(problemsOf(`nightly:\n  tasks:\n${bashTask('load')}${bashTask('report', '      dependencies: [load, laod_x]\n')}`)).toEqual([
      "dag.yaml:9:28: task 'report' depends on 'laod_x', which is not a task or group of DAG 'nightly'",
    ]);
    expect(problemsOf(`nightly:\n  tasks:\n${bashTask('load')}${bashTask('report', '      dependencies: [laod]\n')}`)).toEqual([
      "dag.yaml:9:22: task 'report' depends on 'laod', which is not a task or group of DAG 'nightly' (did you mean 'load'?)",
    ]);
  });

  it('a cycle, naming every task on it', () => {
    const text = [
      'nightly:',
      '  tasks:',
      '    - task_id: a',
      '      operator: empty',
      '      dependencies: [c]',
      '    - task_id: b',
      '      operator: empty',
      '      dependencies: [a]',
      '    - task_id: c',
      '      operator: empty',
      '      dependencies: [b]',
      '',
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      "dag.yaml:5:22: cycle: a -> b -> c -> a in DAG 'nightly': a task cannot run after itself; remove one of these dependencies",
    ]);
    expect(problemsOf('nightly:\n  tasks:\n    - task_id: a\n      operator: empty\n      dependencies: [a]\n')).toEqual([
      "dag.yaml:5:22: task 'a' depends on itself in DAG 'nightly': remove it from its own dependencies",
    ]);
  });

  it('a duplicate task id', () => {
    expect(problemsOf('nightly:\n  tasks:\n    - task_id: a\n      operator: empty\n    - task_id: a\n      operator: empty\n')).toEqual([
      "dag.yaml:5:16: duplicate task id 'a' in DAG 'nightly': task ids must be unique",
    ]);
  });

  it('a duplicate dag id in one file (and a duplicate key anywhere)', () => {
    expect(problemsOf('nightly:\n  tasks: []\nnightly:\n  tasks: []\n')).toEqual([
      "dag.yaml:3:1: duplicate key 'nightly': keys of a map must be unique (two DAGs, tasks or settings with the same name?)",
    ]);
  });

  it('an invalid cron expression, named', () => {
    expect(problemsOf('nightly:\n  schedule: "0 0 1 13 0"\n')).toEqual([
      "dag.yaml:2:13: DAG 'nightly': cron expression '0 0 1 13 0' is not valid: Constraint error, got value 13 expected range 1-12",
    ]);
    expect(problemsOf('nightly:\n  schedule: "0 3 * *"\n')).toEqual([
      "dag.yaml:2:13: DAG 'nightly': cron expression '0 3 * *' is not valid: it has 4 fields, expected 5 (minute hour day-of-month month day-of-week)",
    ]);
    expect(problemsOf('nightly:\n  schedule: "@dayly"\n')).toEqual([
      "dag.yaml:2:13: DAG 'nightly': unknown schedule preset '@dayly' (did you mean '@daily'?): use one of @hourly, @daily, @weekly, @monthly, @quarterly, @yearly, @annually, @once or a cron expression",
    ]);
  });

  it('a bad time zone', () => {
    expect(problemsOf('nightly:\n  timezone: Europe/Pariss\n')).toEqual([
      "dag.yaml:2:13: unknown time zone 'Europe/Pariss' (did you mean 'Europe/Paris'?): use an IANA name such as Europe/Paris or UTC",
    ]);
  });

  it('a start_date that is not a date', () => {
    expect(problemsOf('nightly:\n  default_args:\n    start_date: yesterday\n')).toEqual([
      "dag.yaml:3:17: start_date 'yesterday' is not a date (use YYYY-MM-DD, an ISO datetime or 'N days')",
    ]);
    expect(problemsOf('nightly:\n  start_date: 2024-02-30\n')).toEqual([
      "dag.yaml:2:15: start_date '2024-02-30' is not a date (use YYYY-MM-DD, an ISO datetime or 'N days')",
    ]);
  });

  it('schedule and schedule_interval both set', () => {
    expect(problemsOf('nightly:\n  schedule: "@daily"\n  schedule_interval: "@hourly"\n')).toEqual([
      "dag.yaml:3:3: DAG 'nightly' sets both 'schedule' and 'schedule_interval', which mean the same thing: keep only 'schedule'",
    ]);
  });

  it('wrong types, at the value', () => {
    const text = `nightly:\n  catchup: "yes"\n  default_args:\n    retries: three\n  tasks:\n    - task_id: extract\n      operator: bash\n      bash_command: 42\n      trigger_rule: all_sucess\n`;
    expect(problemsOf(text)).toEqual([
      "dag.yaml:2:12: DAG 'nightly': catchup: expected true or false, got 'yes'",
      "dag.yaml:4:14: DAG 'nightly': default_args.retries: expected a number, got 'three'",
      "dag.yaml:9:21: task 'extract': trigger_rule: 'all_sucess' is not one of all_success, all_failed, all_done, all_skipped, one_success, one_failed, one_done, none_failed, none_failed_min_one_success, none_skipped, always, dummy, none_failed_or_skipped (did you mean 'all_success'?)",
      "dag.yaml:8:21: task 'extract': bash_command: expected a string, got 42",
    ]);
    expect(problemsOf('nightly:\n  start_date: 20240101\n  dagrun_timeout: 5m\n')).toEqual([
      "dag.yaml:2:15: DAG 'nightly': start_date: expected a date (YYYY-MM-DD, an ISO datetime or 'N days'), got 20240101",
      "dag.yaml:3:19: DAG 'nightly': dagrun_timeout: expected a number of seconds or {__type__: datetime.timedelta, ...}, got '5m'",
    ]);
    expect(problemsOf('nightly:\n  retry_delay: {__type__: datetime.timedelta, minuts: 5}\n')[0]).toBe(
      "dag.yaml:2:3: unknown key 'retry_delay' in DAG 'nightly': a task setting: put it under default_args (or on each task)",
    );
    expect(problemsOf('nightly:\n  dagrun_timeout: {__type__: datetime.timedelta, minuts: 5}\n')).toEqual([
      "dag.yaml:2:50: DAG 'nightly': unknown key 'dagrun_timeout.minuts' (did you mean 'minutes'?)",
    ]);
  });

  it('invalid DAG and task ids', () => {
    expect(problemsOf('bad id!:\n  tasks: []\n')).toEqual(["dag.yaml:1:1: DAG id 'bad id!' contains space, '!': use only letters, digits, '.', '_' and '-'"]);
    expect(problemsOf('ok:\n  tasks:\n    - task_id: ../etc\n      operator: empty\n')).toEqual([
      "dag.yaml:3:16: task id '../etc' contains '/': use only letters, digits, '.', '_' and '-'",
    ]);
  });

  it('task groups: an unknown group, a missing parent, a group depending on its own task', () => {
    const text = [
      'nightly:',
      '  task_groups:',
      '    - group_name: g',
      '      parent_group_name: nope',
      '    - group_name: h',
      '      dependencies: [inner]',
      '  tasks:',
      '    - task_id: inner',
      '      operator: empty',
      '      task_group_name: h',
      '    - task_id: lost',
      '      operator: empty',
      '      task_group_name: gg',
      '',
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      "dag.yaml:4:26: task group 'g': parent_group_name 'nope' is not a task group of DAG 'nightly'",
      "dag.yaml:13:24: task 'lost': task_group_name 'gg' is not a task group of DAG 'nightly' (did you mean 'g'?)",
      "dag.yaml:6:22: task group 'h' depends on its own task 'inner': a group can only follow tasks outside it",
    ]);
  });

  it('collects every problem of a file, and still returns the good DAGs next to the bad one', () => {
    const text = [
      'good:',
      '  schedule: "@daily"',
      '  tasks:',
      bashTask('a').trimEnd(),
      'bad:',
      '  schedule: "61 * * * *"',
      '  timezone: Mars/Olympus',
      '  tasks:',
      '    - task_id: a',
      '      operator: nope',
      '      dependencies: [ghost]',
      '',
    ].join('\n');
    const r = loadText(text);
    expect(r.dags.map((d) => d.dagId)).toEqual(['good']);
    expect(r.problems.map(shown)).toEqual([
      "dag.yaml:8:13: DAG 'bad': cron expression '61 * * * *' is not valid: Constraint error, got value 61 expected range 0-59",
      "dag.yaml:9:13: unknown time zone 'Mars/Olympus': use an IANA name such as Europe/Paris or UTC",
      "dag.yaml:12:17: task 'a': unknown operator 'nope': the registered operators are bash, empty",
      "dag.yaml:13:22: task 'a' depends on 'ghost', which is not a task or group of DAG 'bad'",
    ]);
    expect(new Set(r.problems.map((p) => p.dagId))).toEqual(new Set(['bad']));
  });

  it('a file that is not a map of DAGs', () => {
    expect(problemsOf('- a\n- b\n')).toEqual(['dag.yaml:1:1: a DAG file is a map of dag_id -> DAG settings, got a list']);
    expect(problemsOf('nightly: 3\n')).toEqual(["dag.yaml:1:1: DAG 'nightly' must be a map of settings (schedule, default_args, tasks, ...), got 3"]);
  });
});
