// A cheap fingerprint of a DAGs folder (names, sizes, mtimes, ctimes), to notice edits without parsing. The ctime
// moves on chmod and chown too, which change what the loader can read without changing the file's mtime.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { yamlFiles } from '../engine/dag/yaml-files.js';

export function folderSignature(folder: string): string {
  const parts: string[] = [];
  for (const file of yamlFiles(path.resolve(folder))) {
    // a symlink loop or a broken link is listed too (the loader reports it), without a size
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(file, { throwIfNoEntry: false });
    } catch {
      st = undefined;
    }
    parts.push(st ? `${file}:${st.size}:${st.mtimeMs}:${st.ctimeMs}` : `${file}:unreadable`);
  }
  return parts.join('\n');
}

/**
 * What the `dag` and `import_error` tables were derived from: windsock's version (validation rules), the operator
 * plugins, the user reading the files (what it may read), the folder and its files. Equal signatures mean a parse
 * would record the same thing.
 */
export function catalogSignature(folder: string): string {
  const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
  return [version, process.env.WINDSOCK_PLUGINS ?? '', process.getuid?.() ?? '', path.resolve(folder), folderSignature(folder)].join('\n');
}
