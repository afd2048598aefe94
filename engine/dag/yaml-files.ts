// The YAML files of a DAGs folder, walked the one way both the loader and the change detector see them. Kept free
// of heavy imports: `dag list` fingerprints the folder with it before deciding whether to parse.
import fs from 'node:fs';
import path from 'node:path';

/**
 * Every *.yaml / *.yml entry under `root` (defaults files included), sorted; hidden entries skipped, symlinks
 * followed (as Airflow does), symlinked folders walked once. An entry named like a YAML file that is not a regular
 * file (a FIFO, a broken symlink, a symlink loop) is listed too: the loader reports it instead of hiding it.
 */
export function yamlFiles(root: string): string[] {
  const out: string[] = [];
  const visited = new Set<string>();
  const walk = (dir: string) => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      return;
    }
    if (visited.has(real)) return; // a symlink loop
    visited.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      let isDir = e.isDirectory();
      if (e.isSymbolicLink()) {
        try {
          isDir = fs.statSync(full).isDirectory();
        } catch {
          isDir = false; // broken, or a loop
        }
      }
      if (isDir) {
        if (e.name !== 'node_modules' && e.name !== '__pycache__') walk(full);
      } else if (/\.ya?ml$/i.test(e.name)) out.push(full);
    }
  };
  walk(root);
  return out.sort();
}
