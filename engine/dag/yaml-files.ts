// The YAML files of a DAGs folder, walked the one way both the loader and the change detector see them. Kept free
// of heavy imports: `dag list` fingerprints the folder with it before deciding whether to parse.
import fs from 'node:fs';
import path from 'node:path';

/** Every *.yaml / *.yml file under `root` (defaults files included), sorted; hidden entries and symlink loops skipped. */
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
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = fs.statSync(full);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue;
        }
      }
      if (isDir) {
        if (e.name !== 'node_modules' && e.name !== '__pycache__') walk(full);
      } else if (isFile && /\.ya?ml$/i.test(e.name)) out.push(full);
    }
  };
  walk(root);
  return out.sort();
}
