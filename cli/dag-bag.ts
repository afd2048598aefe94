// The web server's DagBag: the DAGs folder parsed with the operator plugins, kept while the folder's fingerprint
// stays the same, so DAG details, a trigger or a clear through the API see the DAG as the scheduler would load it.
import type { DagSpec } from '../engine/types.js';
import type { DagBag } from '../ui/server/deps.js';
import { catalogSignature } from './folder-signature.js';

export function folderDagBag(folder: string): DagBag {
  let parsed: { signature: string; dags: Map<string, DagSpec> } | null = null;
  const current = async (): Promise<Map<string, DagSpec>> => {
    const signature = catalogSignature(folder);
    if (parsed?.signature === signature) return parsed.dags;
    const [{ loadRegistry }, { loadDagFolder }] = await Promise.all([import('./plugins.js'), import('../engine/dag/index.js')]);
    const { dags } = loadDagFolder(folder, await loadRegistry());
    parsed = { signature, dags: new Map(dags.map((d) => [d.dagId, d])) };
    return parsed.dags;
  };
  return { get: async (dagId) => (await current()).get(dagId), all: async () => [...(await current()).values()] };
}
