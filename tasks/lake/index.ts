// The lake's operators, plugged into the engine's registry by tasks/index.ts.
import type { OperatorDefinition } from '../../engine/operators/api.js';
import { lazyOperator } from '../../engine/operators/lazy.js';
import { loadRawSpec } from './operator-spec.js';

export const operators: OperatorDefinition[] = [lazyOperator(loadRawSpec, async () => (await import('./load-raw.js')).loadRawOperator)];
