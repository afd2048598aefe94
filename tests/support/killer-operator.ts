// An operator plugin that kills the process running it, as an operator that runs its runner out of memory does.
import { z } from 'zod';
import type { OperatorDefinition } from '../../engine/operators/api.js';

export const operators: OperatorDefinition[] = [
  {
    name: 'test.kill_runner',
    description: 'SIGKILLs the runner process it runs in (worker threads share its pid)',
    args: z.strictObject({}),
    execute: () => {
      process.kill(process.pid, 'SIGKILL');
    },
  },
];
