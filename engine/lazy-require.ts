// A dependency loaded on first use instead of at start-up: the parsers and template engine that only some DAGs need
// (yaml, cron-parser, nunjucks) each cost every command 0.1-0.3 s when imported eagerly. CommonJS packages, loaded
// through require (https://nodejs.org/api/module.html#modulecreaterequirefilename); types come from `import type`.
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/** A function returning the package `name`, required the first time it is called. */
export function lazyRequire<T>(name: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= load(name) as T);
}
