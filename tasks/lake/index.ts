// The lake's operators, plugged into the engine's registry by tasks/index.ts.
import type { OperatorDefinition } from '../../engine/operators/api.js';
import { loadRawOperator } from './load-raw.js';

export const operators: OperatorDefinition[] = [loadRawOperator];
