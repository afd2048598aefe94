// A cheap fingerprint of a DAGs folder (names, sizes, mtimes), to notice edits without parsing.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export function folderSignature(folder: string): string {
  const parts: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) {
        const st = fs.statSync(p, { throwIfNoEntry: false });
        if (st) parts.push(`${p}:${st.size}:${st.mtimeMs}`);
      }
    }
  };
  walk(folder);
  return parts.sort().join('\n');
}

/**
 * What the `dag` and `import_error` tables were derived from: windsock's version (validation rules), the operator
 * plugins, the folder and its files. Equal signatures mean a parse would record the same thing.
 */
export function catalogSignature(folder: string): string {
  const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
  return [version, process.env.WINDSOCK_PLUGINS ?? '', path.resolve(folder), folderSignature(folder)].join('\n');
}
