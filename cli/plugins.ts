// The composition root's list of operator plugins: the engine's built-ins, the pipeline's operators, and any modules
// named in WINDSOCK_PLUGINS (comma-separated paths or file: URLs of ES modules that export `operators`).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { OperatorRegistry } from '../engine/operators/registry.js';
import { builtinOperators } from '../engine/operators/builtin.js';
import { engineSettings } from '../engine/settings.js';

/** Modules that export `operators`; worker threads load them by URL. Read per command (the tests run many in one process). */
export function pluginUrls(): string[] {
  return [
    new URL('../tasks/index.js', import.meta.url).href,
    ...engineSettings().plugins.map((p) => (p.startsWith('file:') ? p : pathToFileURL(path.resolve(p)).href)),
  ];
}

export async function loadRegistry(): Promise<OperatorRegistry> {
  const registry = new OperatorRegistry().registerAll(builtinOperators);
  for (const url of pluginUrls()) registry.registerAll(((await import(url)) as { operators: [] }).operators);
  return registry;
}
