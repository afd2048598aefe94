// The star schema's operators, plugged into the engine's registry by tasks/index.ts.
import type { OperatorDefinition } from '../../engine/operators/api.js';
import { transformOperator } from './transform.js';

export const operators: OperatorDefinition[] = [transformOperator];
