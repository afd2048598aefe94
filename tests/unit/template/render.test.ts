import { describe, expect, it } from 'vitest';
import { compileTemplate, renderArgs, templateContext, TemplateRenderError } from '../../../engine/template/index.js';
import { UserError } from '../../../engine/types.js';
import { dailyRun, render, renderWith, xcoms } from './helpers.js';

const where = { dagId: 'openaq', taskId: 'extract' };
const ctx = () => templateContext(dailyRun({ params: { city: 'Paris' } }), xcoms(), {});

describe('renderArgs', () => {
  it('renders every string argument, recursively through objects and arrays, when no template fields are given', () => {
    const args = {
      bash_command: 'echo {{ ds }}',
      env: { DAY: '{{ ds_nodash }}', NESTED: { CITY: '{{ params.city }}' } },
      files: ['a_{{ ds }}.json', { name: '{{ run_id }}' }],
      retries_hint: 3,
      enabled: true,
      nothing: null,
    };
    expect(renderArgs(args, ctx(), undefined, where)).toEqual({
      bash_command: 'echo 2024-01-01',
      env: { DAY: '20240101', NESTED: { CITY: 'Paris' } },
      files: ['a_2024-01-01.json', { name: 'scheduled__2024-01-01T00:00:00+00:00' }],
      retries_hint: 3,
      enabled: true,
      nothing: null,
    });
  });

  it('renders only the template fields when given, leaving other arguments as written', () => {
    const args = { bash_command: 'echo {{ ds }}', cwd: '/tmp/{{ ds }}', output_encoding: '{{ not_a_template_field }}' };
    expect(renderArgs(args, ctx(), ['bash_command', 'cwd', 'env'], where)).toEqual({
      bash_command: 'echo 2024-01-01',
      cwd: '/tmp/2024-01-01',
      output_encoding: '{{ not_a_template_field }}',
    });
  });

  it('does not modify its input', () => {
    const args = { env: { DAY: '{{ ds }}' }, list: ['{{ ds }}'] };
    const copy = structuredClone(args);
    renderArgs(args, ctx(), undefined, where);
    expect(args).toEqual(copy);
  });

  it('leaves strings without template syntax untouched (including a lone brace)', () => {
    expect(renderArgs({ a: 'awk "{print $1}"', b: '' }, ctx(), undefined, where)).toEqual({ a: 'awk "{print $1}"', b: '' });
  });

  it('supports Jinja statements, filters and comments', () => {
    expect(render('{% for c in ["Paris", "Lyon"] %}{{ c | lower }}{% if not loop.last %},{% endif %}{% endfor %}{# note #}', ctx())).toBe('paris,lyon');
    expect(render("{% set d = macros.ds_add(ds, 1) %}{{ d }}", ctx())).toBe('2024-01-02');
    expect(render('{{ missing | default("dflt") }} {{ "yes" if params.city is defined else "no" }}', ctx())).toBe('dflt yes');
  });

  it('does not escape HTML (autoescape off)', () => {
    expect(render('{{ "<a & b>" }}', ctx())).toBe('<a & b>');
  });
});

describe('template errors', () => {
  const fail = (source: string, argPath = 'bash_command', args?: Record<string, unknown>) => {
    try {
      renderArgs(args ?? { [argPath]: source }, ctx(), undefined, where);
    } catch (e) {
      return e as TemplateRenderError;
    }
    throw new Error('expected a template error');
  };

  it('names the DAG, the task and the argument, on one line', () => {
    const err = fail('echo {{ dss }}');
    expect(err).toBeInstanceOf(TemplateRenderError);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe("template error in task 'extract' of DAG 'openaq', argument bash_command: 'dss' is undefined (line 1, column 6)");
    expect(err.message).not.toContain('\n');
  });

  it('names the path of a nested argument', () => {
    expect(fail('', '', { env: { A: 'ok', B: ['x', '{{ nope }}'] } }).message).toMatch(/argument env\.B\[1\]: 'nope' is undefined/);
  });

  it('treats an undefined attribute as an error (StrictUndefined), worded like Jinja', () => {
    expect(fail('{{ params.country }}').message).toMatch(/argument bash_command: 'dict object' has no attribute 'country' \(line 1, column 1\)$/);
    expect(fail('{{ nope.attr }}').message).toMatch(/'nope' is undefined/);
  });

  it('reports syntax errors with their position', () => {
    expect(fail('line one\n{{ ds ds }}').message).toMatch(/argument bash_command: expected variable end \(line 2, column 7\)$/);
    expect(fail('{% if ds %}no end').message).toMatch(/argument bash_command: parseIf: expected elif, else, or endif, got end of file$/);
  });

  it('reports errors raised by functions', () => {
    expect(fail("{{ macros.ds_add('2024-13-01', 1) }}").message).toMatch(/time data '2024-13-01' does not match format '%Y-%m-%d'/);
    expect(fail('{{ ti.xcom_pull(taskids="a") }}').message).toMatch(/xcom_pull\(\) got an unexpected keyword argument 'taskids'/);
  });

  it('carries a hint about strict undefined handling', () => {
    expect(fail('{{ nope }}').hint).toMatch(/default/);
  });
});

describe('ti.xcom_pull', () => {
  const values = { extract: { return_value: 'raw/2024-01-01', count: 42 }, transform: { return_value: { rows: 7 } } };

  it('pulls the return value with a keyword task_ids', () => {
    const x = xcoms(values);
    expect(renderWith("{{ ti.xcom_pull(task_ids='extract') }}", {}, {}, x)).toBe('raw/2024-01-01');
    expect(x.calls).toEqual([['extract', 'return_value']]);
  });

  it('accepts positional and keyword forms, and a key', () => {
    const x = xcoms(values);
    expect(renderWith("{{ ti.xcom_pull('extract') }} {{ ti.xcom_pull('extract', key='count') }} {{ task_instance.xcom_pull(key='count', task_ids='extract') }}", {}, {}, x)).toBe(
      'raw/2024-01-01 42 42',
    );
  });

  it('pulls several tasks as a list, and reads nested values', () => {
    expect(renderWith("{{ ti.xcom_pull(task_ids=['extract', 'transform']) }}", {}, {}, xcoms(values))).toBe("['raw/2024-01-01', {'rows': 7}]");
    expect(renderWith("{{ ti.xcom_pull(task_ids='transform').rows }}", {}, {}, xcoms(values))).toBe('7');
  });

  it('passes key=None as no key filter', () => {
    const x = xcoms(values);
    renderWith("{{ ti.xcom_pull(task_ids='extract', key=None) }}", {}, {}, x);
    expect(x.calls).toEqual([['extract', null]]);
  });

  it('returns None, or the default, when nothing was pushed', () => {
    expect(renderWith("{{ ti.xcom_pull(task_ids='load') }} {{ ti.xcom_pull(task_ids='load', default='none yet') }}", {}, {}, xcoms(values))).toBe('None none yet');
  });

  it('refuses another DAG', () => {
    expect(() => renderWith("{{ ti.xcom_pull(task_ids='a', dag_id='other') }}")).toThrow(/same DAG run only/);
  });
});

describe('Python values in templates', () => {
  it('prints booleans, None, lists and dicts the Python way', () => {
    const c = templateContext(dailyRun({ params: { on: true, off: false, nothing: null, list: ['a', 1], map: { k: "it's" } } }), xcoms(), {});
    expect(render('{{ params.on }} {{ params.off }} {{ params.nothing }} {{ params.list }} {{ params.map }}', c)).toBe(`True False None ['a', 1] {'k': "it's"}`);
    expect(render('{{ True }} {{ False }} {{ None }} {{ none }}', c)).toBe('True False None None');
  });

  it('gives str methods their Python meaning', () => {
    expect(render("{{ ds.replace('-', '') }} {{ ds.replace('-', '/', 1) }} {{ ds.split('-') | join('|') }} {{ ds.split('-', 1) | last }}", ctx())).toBe(
      '20240101 2024/01-01 2024|01|01 01-01',
    );
    expect(render("{{ '  x y '.strip() }}|{{ 'xxaxx'.strip('x') }}|{{ 'a b  c'.split() | length }}|{{ ds.startswith('2024') }}|{{ '7'.zfill(3) }}|{{ '-'.join(['a', 'b']) }}|{{ 'paris'.upper() }}", ctx())).toBe(
      'x y|a|3|True|007|a-b|PARIS',
    );
  });

  it('gives dicts get / items / keys / values', () => {
    const c = templateContext(dailyRun({ params: { a: 1, b: 2 } }), xcoms(), {});
    expect(render("{% for k, v in params.items() %}{{ k }}={{ v }};{% endfor %} {{ params.keys() | join(',') }} {{ params.get('c', 3) }}", c)).toBe('a=1;b=2; a,b 3');
  });

  it('supports Airflow\'s date filters and tojson', () => {
    expect(render('{{ logical_date | ds }} {{ logical_date | ds_nodash }} {{ logical_date | ts }} {{ logical_date | ts_nodash }} {{ logical_date | ts_nodash_with_tz }}', ctx())).toBe(
      '2024-01-01 20240101 2024-01-01T00:00:00+00:00 20240101T000000 20240101T000000+0000',
    );
    expect(render('{{ params | tojson }} {{ data_interval_end | tojson }}', ctx())).toBe('{"city":"Paris"} "2024-01-02T00:00:00+00:00"');
    expect(() => render('{{ ds | ds }}', ctx())).toThrow(/filter 'ds' expects a datetime, got str object/);
  });
});

describe('compiled template cache', () => {
  it('compiles a source once and reuses it', () => {
    expect(compileTemplate('{{ ds }}/cache-test')).toBe(compileTemplate('{{ ds }}/cache-test'));
  });

  it('renders the same source with different contexts', () => {
    const a = renderWith('{{ ds }}/{{ ti.try_number }}', { tryNumber: 1 });
    const b = renderWith('{{ ds }}/{{ ti.try_number }}', { tryNumber: 2, logicalDate: new Date('2024-02-02T00:00:00Z') });
    expect([a, b]).toEqual(['2024-01-01/1', '2024-02-02/2']);
  });
});
