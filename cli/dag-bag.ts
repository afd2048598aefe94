// The web server's DagBag: the DAGs folder parsed with the operator plugins, kept while the folder's fingerprint
// stays the same (looked at most once a second), so DAG details and tasks show what the scheduler would load.
import type { DagSpec } from '../engine/types.js';
import type { DagBag } from '../ui/server/deps.js';
import { catalogSignature } from './folder-signature.js';

const RECHECK_MS = 1000;

export function folderDagBag(folder: string): DagBag {
  let parsed: { signature: string; dags: Map<string, DagSpec> } | null = null;
  let checkedAt = 0;
  const current = async (): Promise<Map<string, DagSpec>> => {
    if (parsed && Date.now() - checkedAt < RECHECK_MS) return parsed.dags;
    checkedAt = Date.now();
    const signature = catalogSignature(folder);
    if (parsed?.signature === signature) return parsed.dags;
    const [{ loadRegistry }, { loadDagFolder }] = await Promise.all([import('./plugins.js'), import('../engine/dag/index.js')]);
    const { dags } = loadDagFolder(folder, await loadRegistry());
    parsed = { signature, dags: new Map(dags.map((d) => [d.dagId, d])) };
    return parsed.dags;
  };
  return { get: async (dagId) => (await current()).get(dagId), all: async () => [...(await current()).values()] };
}
