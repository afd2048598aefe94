// EmptyOperator: does nothing; useful as a join or a placeholder.
import { z } from 'zod';
import type { OperatorDefinition } from './api.js';

export const emptyOperator: OperatorDefinition<Record<string, never>> = {
  name: 'empty',
  aliases: [
    'EmptyOperator',
    'DummyOperator',
    'airflow.operators.empty.EmptyOperator',
    'airflow.operators.dummy.DummyOperator',
    'airflow.operators.dummy_operator.DummyOperator',
    'airflow.providers.standard.operators.empty.EmptyOperator',
  ],
  description: 'Does nothing (a join or a placeholder).',
  neverExecuted: true,
  args: z.strictObject({}),
  inline: true,
  execute() {
    return undefined;
  },
};
