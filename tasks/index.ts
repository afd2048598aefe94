// The pipeline's operators, plugged into the engine's registry. Worker threads import this module by URL.
import type { OperatorDefinition } from '../engine/operators/api.js';
import { operators as openaq } from './openaq/index.js';
import { operators as lake } from './lake/index.js';
import { operators as star } from './star/index.js';
import { operators as warehouse } from './warehouse/index.js';

export const operators: OperatorDefinition[] = [...openaq, ...lake, ...star, ...warehouse];
