// The composition root's list of operator plugins: the engine's built-ins, the pipeline's operators, and any modules
// named in WINDSOCK_PLUGINS (comma-separated paths or file: URLs of ES modules that export `operators`).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { OperatorRegistry } from '../engine/operators/registry.js';
import { builtinOperators } from '../engine/operators/builtin.js';
import { engineSettings } from '../engine/settings.js';

/** The modules named in WINDSOCK_PLUGINS, as URLs. Read per command (the tests run many in one process). */
function userPluginUrls(): string[] {
  return engineSettings().plugins.map((p) => (p.startsWith('file:') ? p : pathToFileURL(path.resolve(p)).href));
}

/** Modules that export `operators`, the pipeline's first; worker threads load them by URL. */
export function pluginUrls(): string[] {
  return [new URL('../tasks/index.js', import.meta.url).href, ...userPluginUrls()];
}

export async function loadRegistry(): Promise<OperatorRegistry> {
  // The pipeline's operators by a literal import (the same module as the URL above in dist/), so that the bundled
  // CLI (scripts/bundle-cli.mjs) carries them instead of loading their compiled files one by one.
  const registry = new OperatorRegistry().registerAll(builtinOperators).registerAll((await import('../tasks/index.js')).operators);
  for (const url of userPluginUrls()) registry.registerAll(((await import(url)) as { operators: [] }).operators);
  return registry;
}
