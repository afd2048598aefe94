// The warehouse's operators, plugged into the engine's registry by tasks/index.ts.
import type { OperatorDefinition } from '../../engine/operators/api.js';
import { lazyOperator } from '../../engine/operators/lazy.js';
import { loadStarSpec } from './operator-spec.js';

export const operators: OperatorDefinition[] = [lazyOperator(loadStarSpec, async () => (await import('./load-star.js')).loadStarOperator)];
