// Where things are, for tests that run compiled from dist/tests/...
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root (the folder holding package.json). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The compiled CLI, as `npx dag` runs it. */
export const CLI = path.join(ROOT, 'dist/cli/main.js');
/** Test fixtures stay in the source tree (tsc does not copy them). */
export const FIXTURES = path.join(ROOT, 'tests/fixtures');
/** Real OpenAQ payloads and the Paris data set, copied from the project's shared reference so a clone is complete. */
export const OPENAQ_DATA = path.join(FIXTURES, 'openaq');
