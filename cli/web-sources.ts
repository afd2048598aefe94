// What the web server learns from the composition root rather than from the state database: the DAGs folder's
// DAGs (details, tasks, backfills), parsed on first use and again when the folder changes;
// the operator families as providers; the pipeline's settings for GET /api/v2/config. The operator registry loads
// on first use, so a server nobody asks for these starts as fast as before.
import type { OperatorRegistry } from '../engine/operators/registry.js';
import type { AppDeps, ProviderInfo } from '../ui/server/deps.js';
import { folderDagBag } from './dag-bag.js';
import { pipelineConfig } from './config-options.js';

export function webSources(dagsFolder: string, version: string): Pick<AppDeps, 'dagBag' | 'providers' | 'config'> {
  let registry: Promise<OperatorRegistry> | undefined;
  const loadRegistry = () => (registry ??= import('./plugins.js').then((m) => m.loadRegistry()));
  return {
    dagBag: folderDagBag(dagsFolder, loadRegistry),
    providers: async () => operatorFamilies((await loadRegistry()).names(), version),
    config: pipelineConfig(),
  };
}

/** Operators grouped by the prefix of their name (`openaq.extract` -> openaq; bash, empty -> standard). */
export function operatorFamilies(names: string[], version: string): ProviderInfo[] {
  const families = new Map<string, string[]>();
  for (const n of names) {
    const family = n.includes('.') ? n.slice(0, n.indexOf('.')) : 'standard';
    families.set(family, [...(families.get(family) ?? []), n]);
  }
  return [...families].sort(([a], [b]) => a.localeCompare(b)).map(([family, ops]) => ({
    package_name: `windsock-operators-${family}`,
    description: `windsock's built-in ${family} operators: ${ops.sort().join(', ')}`,
    version,
    documentation_url: null,
  }));
}
