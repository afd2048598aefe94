// The operator names DAG files may use: windsock's short names and every Airflow import path a dag-factory file has.
import { describe, expect, it } from 'vitest';
import { OperatorRegistry } from '../../../engine/operators/registry.js';
import { builtinOperators } from '../../../engine/operators/builtin.js';

describe('built-in operator names', () => {
  const registry = new OperatorRegistry().registerAll(builtinOperators);

  it.each([
    ['bash', 'bash'],
    ['BashOperator', 'bash'],
    ['airflow.operators.bash.BashOperator', 'bash'],
    ['airflow.operators.bash_operator.BashOperator', 'bash'],
    ['airflow.providers.standard.operators.bash.BashOperator', 'bash'],
    ['empty', 'empty'],
    ['EmptyOperator', 'empty'],
    ['DummyOperator', 'empty'],
    ['airflow.operators.empty.EmptyOperator', 'empty'],
    ['airflow.operators.dummy.DummyOperator', 'empty'],
    ['airflow.providers.standard.operators.empty.EmptyOperator', 'empty'],
  ])('%s is the %s operator', (name, canonical) => {
    expect(registry.resolve(name)?.name).toBe(canonical);
  });

  it('does not know an operator it was not given', () => {
    expect(registry.resolve('airflow.operators.python.PythonOperator')).toBeUndefined();
  });
});
