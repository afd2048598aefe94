// The DAG definitions for the web server: the DAGs folder parsed with the operator plugins, again only when the
// folder changed (its signature), so a trigger or a clear through the API sees the DAG as the scheduler does.
import type { DagSpec } from '../engine/types.js';
import type { OperatorRegistry } from '../engine/operators/registry.js';
import { loadDagFolder } from '../engine/dag/index.js';
import { catalogSignature } from './folder-signature.js';
import { loadRegistry } from './plugins.js';

export function dagSpecReader(dagsFolder: string): (dagId: string) => Promise<DagSpec | undefined> {
  let registry: Promise<OperatorRegistry> | undefined;
  let cached: { signature: string; dags: Map<string, DagSpec> } | undefined;
  return async (dagId) => {
    registry ??= loadRegistry();
    const reg = await registry;
    const signature = catalogSignature(dagsFolder);
    if (cached?.signature !== signature) {
      const { dags } = loadDagFolder(dagsFolder, reg);
      cached = { signature, dags: new Map(dags.map((d) => [d.dagId, d])) };
    }
    return cached.dags.get(dagId);
  };
}
