// The warehouse's operators, plugged into the engine's registry by tasks/index.ts.
import type { OperatorDefinition } from '../../engine/operators/api.js';
import { loadStarOperator } from './load-star.js';

export const operators: OperatorDefinition[] = [loadStarOperator];
