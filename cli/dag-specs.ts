// The parsed DAG files for the admin pages (tasks, task groups, doc_md, params), re-read when the folder changes.
// The web server never runs tasks, but its pages show what the files define; parsing once per change of the folder
// (checked at most every 2 s) keeps a page render from paying for a parse.
import type { DagSpec } from '../engine/types.js';
import { folderSignature } from './folder-signature.js';

const RECHECK_MS = 2000;

export async function dagSpecSource(dagsFolder: string): Promise<() => ReadonlyMap<string, DagSpec>> {
  const [{ loadRegistry }, { loadDagFolder }] = await Promise.all([import('./plugins.js'), import('../engine/dag/index.js')]);
  const registry = await loadRegistry();
  let signature: string | null = null;
  let checkedAt = 0;
  let specs: ReadonlyMap<string, DagSpec> = new Map();
  return () => {
    const now = Date.now();
    if (now - checkedAt < RECHECK_MS) return specs;
    checkedAt = now;
    const s = folderSignature(dagsFolder);
    if (s !== signature) {
      signature = s;
      specs = new Map(loadDagFolder(dagsFolder, registry).dags.map((d) => [d.dagId, d]));
    }
    return specs;
  };
}
