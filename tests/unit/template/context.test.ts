import { describe, expect, it } from 'vitest';
import { templateContext } from '../../../engine/template/index.js';
import { dailyRun, renderWith, xcoms } from './helpers.js';

describe("template context: the example of Airflow's templates-ref docs (scheduled daily run of 2024-01-01)", () => {
  const cases: Array<[string, string]> = [
    ['{{ run_id }}', 'scheduled__2024-01-01T00:00:00+00:00'],
    ['{{ ds }}', '2024-01-01'],
    ['{{ ds_nodash }}', '20240101'],
    ['{{ ts }}', '2024-01-01T00:00:00+00:00'],
    ['{{ ts_nodash }}', '20240101T000000'],
    ['{{ ts_nodash_with_tz }}', '20240101T000000+0000'],
    ['{{ data_interval_start }}', '2024-01-01T00:00:00+00:00'],
    ['{{ data_interval_end }}', '2024-01-02T00:00:00+00:00'],
    ['{{ logical_date }}', '2024-01-01T00:00:00+00:00'],
    ['{{ execution_date }}', '2024-01-01T00:00:00+00:00'],
    ['{{ prev_ds }}', '2023-12-31'],
    ['{{ next_ds }}', '2024-01-02'],
    ['{{ prev_ds_nodash }}/{{ next_ds_nodash }}', '20231231/20240102'],
    ['{{ yesterday_ds }}/{{ tomorrow_ds }}', '2023-12-31/2024-01-02'],
    ['{{ task_instance_key_str }}', 'openaq__extract__20240101'],
  ];
  for (const [source, expected] of cases) it(`${source} -> ${expected}`, () => expect(renderWith(source)).toBe(expected));
});

describe('template context keys', () => {
  it('exposes every documented key', () => {
    const ctx = templateContext(dailyRun(), xcoms(), {});
    for (const key of ['ds', 'ds_nodash', 'ts', 'ts_nodash', 'ts_nodash_with_tz', 'logical_date', 'execution_date', 'data_interval_start',
      'data_interval_end', 'prev_data_interval_start_success', 'prev_data_interval_end_success', 'params', 'dag_run', 'run_id', 'dag', 'task', 'ti',
      'task_instance', 'macros', 'var', 'ds_local', 'ds_local_nodash', 'logical_date_local']) {
      expect(ctx, key).toHaveProperty(key);
    }
  });

  it('uses the logical date for prev_ds / next_ds of a manual run, like Airflow', () => {
    const manual = { runType: 'manual', logicalDate: new Date('2024-03-05T14:30:00Z'), runId: 'manual__2024-03-05T14:30:00+00:00' };
    expect(renderWith('{{ prev_ds }} {{ ds }} {{ next_ds }} {{ dag_run.external_trigger }}', manual)).toBe('2024-03-05 2024-03-05 2024-03-05 True');
  });

  it('takes prev / next schedules from the run when it knows them (monthly schedules)', () => {
    const monthly = {
      logicalDate: new Date('2024-03-01T00:00:00Z'), dataIntervalStart: new Date('2024-03-01T00:00:00Z'), dataIntervalEnd: new Date('2024-04-01T00:00:00Z'),
      prevLogicalDate: new Date('2024-02-01T00:00:00Z'),
    };
    expect(renderWith('{{ prev_ds }} {{ next_ds }}', monthly)).toBe('2024-02-01 2024-04-01');
  });

  it('gives the previous successful run\'s data interval, or None', () => {
    expect(renderWith('{{ prev_data_interval_start_success }}|{{ prev_data_interval_end_success }}')).toBe('None|None');
    const prev = { prevDataIntervalStartSuccess: new Date('2023-12-31T00:00:00Z'), prevDataIntervalEndSuccess: new Date('2024-01-01T00:00:00Z') };
    expect(renderWith('{{ prev_data_interval_start_success }}|{{ prev_data_interval_end_success | ds }}', prev)).toBe('2023-12-31T00:00:00+00:00|2024-01-01');
  });

  it('describes the dag run', () => {
    const out = renderWith('{{ dag_run.run_id }} {{ dag_run.run_type }} {{ dag_run.logical_date }} {{ dag_run.conf.day }} {{ dag_run.external_trigger }}', {
      conf: { day: 'mon' },
    });
    expect(out).toBe('scheduled__2024-01-01T00:00:00+00:00 scheduled 2024-01-01T00:00:00+00:00 mon False');
    expect(renderWith("{{ dag_run.conf.get('missing', 'fallback') }}")).toBe('fallback');
  });

  it('lets dag_run.conf override the DAG params (dag_run_conf_overrides_params)', () => {
    const out = renderWith('{{ params.city }} {{ params.limit }} {{ params.extra }}', { params: { city: 'Paris', limit: 10 }, conf: { limit: 99, extra: 'x' } });
    expect(out).toBe('Paris 99 x');
  });

  it('describes the dag, the task and the task instance', () => {
    const over = { tryNumber: 3, owner: 'data-eng', dagSummary: { dag_id: 'openaq', tags: ['aq', 'paris'], owner: 'data-eng' } };
    expect(renderWith('{{ dag.dag_id }} {{ dag.tags | join(",") }} {{ dag.owner }} {{ task.task_id }} {{ task.owner }}', over)).toBe('openaq aq,paris data-eng extract data-eng');
    expect(renderWith('{{ ti.task_id }} {{ ti.try_number }} {{ task_instance.try_number }} {{ ti.run_id }}', over)).toBe(
      'extract 3 3 scheduled__2024-01-01T00:00:00+00:00',
    );
    expect(renderWith('{{ dag.dag_id }} {{ dag.owner }}')).toBe('openaq airflow');
  });
});

describe('local dates (windsock extension)', () => {
  // The Paris day 2024-04-20 starts at 2024-04-19T22:00Z (CEST, UTC+2).
  const paris = {
    timezone: 'Europe/Paris',
    logicalDate: new Date('2024-04-19T22:00:00Z'),
    dataIntervalStart: new Date('2024-04-19T22:00:00Z'),
    dataIntervalEnd: new Date('2024-04-20T22:00:00Z'),
  };

  it('ds is the UTC date, ds_local the date in the DAG time zone', () => {
    expect(renderWith('{{ ds }} {{ ds_local }} {{ ds_local_nodash }}', paris)).toBe('2024-04-19 2024-04-20 20240420');
  });

  it('logical_date_local renders with the local offset; data_interval_* stay in UTC', () => {
    expect(renderWith('{{ logical_date_local }} {{ data_interval_start }}', paris)).toBe('2024-04-20T00:00:00+02:00 2024-04-19T22:00:00+00:00');
    expect(renderWith('{{ logical_date_local | ds }} {{ logical_date_local.hour }}', paris)).toBe('2024-04-20 0');
  });

  it('follows daylight saving time (winter: UTC+1)', () => {
    const winter = { timezone: 'Europe/Paris', logicalDate: new Date('2024-01-14T23:00:00Z') };
    expect(renderWith('{{ ds }} {{ ds_local }} {{ logical_date_local }}', winter)).toBe('2024-01-14 2024-01-15 2024-01-15T00:00:00+01:00');
  });
});

describe('Variables from the environment', () => {
  const env = { AIRFLOW_VAR_BUCKET: 'aq-raw', AIRFLOW_VAR_CITIES: '{"fr": ["Paris", "Lyon"]}', WINDSOCK_VAR_REGION: 'idf', AIRFLOW_VAR_REGION: 'ignored' };

  it('reads var.value.<key> from AIRFLOW_VAR_<KEY>, and WINDSOCK_VAR_<KEY> first', () => {
    expect(renderWith('{{ var.value.bucket }} {{ var.value.region }}', {}, env)).toBe('aq-raw idf');
  });

  it('parses var.json.<key>', () => {
    expect(renderWith('{{ var.json.cities.fr[1] }} {{ var.json.cities.fr | length }}', {}, env)).toBe('Lyon 2');
  });

  it('offers var.value.get(key, default)', () => {
    expect(renderWith("{{ var.value.get('bucket', 'x') }} {{ var.value.get('nope', 'fallback') }} {{ var.value.get('nope') }}", {}, env)).toBe('aq-raw fallback None');
  });

  it('says which environment variable to set for a missing variable', () => {
    expect(() => renderWith('{{ var.value.api_host }}', {}, env)).toThrow(
      "template error in task 'extract' of DAG 'openaq', argument arg: Variable api_host does not exist: set the environment variable AIRFLOW_VAR_API_HOST (or WINDSOCK_VAR_API_HOST)",
    );
  });

  it('reports a variable that is not JSON', () => {
    expect(() => renderWith('{{ var.json.bucket }}', {}, env)).toThrow(/Variable bucket is not valid JSON/);
  });

  it('reads process.env by default', () => {
    process.env.AIRFLOW_VAR_WINDSOCK_TEST_DEFAULT_ENV = 'from-process';
    try {
      const out = renderWith('{{ var.value.windsock_test_default_env }}', {}, process.env);
      expect(out).toBe('from-process');
      const ctx = templateContext(dailyRun(), xcoms());
      expect(((ctx.var as { value: Record<string, unknown> }).value).windsock_test_default_env).toBe('from-process');
    } finally {
      delete process.env.AIRFLOW_VAR_WINDSOCK_TEST_DEFAULT_ENV;
    }
  });
});
