// The web server's DagBag: the DAGs folder parsed with the operator plugins, kept while the folder's fingerprint
// stays the same, so DAG details, a trigger or a clear through the API see the DAG as the scheduler would load it.
import type { DagSpec } from '../engine/types.js';
import type { OperatorRegistry } from '../engine/operators/registry.js';
import type { DagBag } from '../ui/server/deps.js';
import { catalogSignature } from './folder-signature.js';

/** `registry`: the operator registry, loaded once by the caller (plugins are not imported again on each re-parse). */
export function folderDagBag(folder: string, registry: () => Promise<OperatorRegistry>): DagBag {
  let parsed: { signature: string; dags: Map<string, DagSpec> } | null = null;
  const current = async (): Promise<Map<string, DagSpec>> => {
    const signature = catalogSignature(folder);
    if (parsed?.signature === signature) return parsed.dags;
    const [{ loadDagFolder }, reg] = await Promise.all([import('../engine/dag/index.js'), registry()]);
    const { dags } = loadDagFolder(folder, reg);
    parsed = { signature, dags: new Map(dags.map((d) => [d.dagId, d])) };
    return parsed.dags;
  };
  return { get: async (dagId) => (await current()).get(dagId), all: async () => [...(await current()).values()] };
}
