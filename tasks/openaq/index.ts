// The OpenAQ part of the pipeline: the extract operator, plus what the CLI needs to provide an API to it.
import type { OperatorDefinition } from '../../engine/operators/api.js';
import { extract } from './extract.js';

export const operators: OperatorDefinition[] = [extract];
export { ensureOpenAQ, type OpenAQService } from './ensure.js';
export { stagingDir, type ExtractSummary } from './extract.js';
