// The OpenAQ part of the pipeline's operators, plugged into the engine's registry by tasks/index.ts.
import type { OperatorDefinition } from '../../engine/operators/api.js';
import { lazyOperator } from '../../engine/operators/lazy.js';
import { extractSpec } from './operator-spec.js';

export const operators: OperatorDefinition[] = [lazyOperator(extractSpec, async () => (await import('./extract.js')).extract)];
