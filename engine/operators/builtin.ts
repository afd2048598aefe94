import { bashOperator } from './bash.js';
import { emptyOperator } from './empty.js';
import type { OperatorDefinition } from './api.js';

/** The operators every windsock has. */
export const builtinOperators: OperatorDefinition[] = [bashOperator, emptyOperator];
