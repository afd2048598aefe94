// The star schema's operators, plugged into the engine's registry by tasks/index.ts.
import type { OperatorDefinition } from '../../engine/operators/api.js';
import { lazyOperator } from '../../engine/operators/lazy.js';
import { transformSpec } from './operator-spec.js';

export const operators: OperatorDefinition[] = [lazyOperator(transformSpec, async () => (await import('./transform.js')).transformOperator)];
