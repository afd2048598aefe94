// An operator plugin for benchmarks and tests: `noop` does nothing in a worker thread; `spin` never returns.
import { z } from 'zod';
import type { OperatorDefinition } from '../engine/operators/api.js';

export const operators: OperatorDefinition[] = [
  { name: 'noop', description: 'does nothing, in a worker thread', args: z.strictObject({}), execute: () => undefined },
  {
    name: 'spin',
    description: 'blocks its thread forever (to test execution_timeout)',
    args: z.strictObject({}),
    execute: () => {
      for (;;) {
        // spin
      }
    },
  },
  {
    name: 'exit',
    description: 'calls process.exit in its worker thread',
    args: z.strictObject({ code: z.number().int().default(3) }),
    execute: (args: { code: number }) => process.exit(args.code),
  },
];
