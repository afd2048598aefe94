// Folder defaults (dag-factory): a defaults.yml (or defaults.yaml) holds DAG settings applied to every DAG file in
// its folder and below. The closest folder wins; a file's own `default:` block and the DAG's settings win over both.
import path from 'node:path';
import type { ImportProblem } from '../types.js';
import { readFileText, readSource } from './file-text.js';
import { isDict, posOf, type Dict } from './located.js';
import { mergeConfig } from './merge.js';
import { Problems } from './problems.js';
import { readYaml } from './yaml-source.js';

/** dag-factory prefers defaults.yml over defaults.yaml when a folder has both. */
export const DEFAULTS_FILES = ['defaults.yml', 'defaults.yaml'];

export function isDefaultsFile(file: string): boolean {
  return DEFAULTS_FILES.includes(path.basename(file));
}

export interface FolderDefaults {
  /** Merged settings from the root down to this folder, or null when there are none. */
  defaults: Dict | null;
  /** The defaults file (this folder's or an ancestor's) that has problems, if any. */
  broken: string | null;
  /** Problems of this folder's own defaults file. */
  own: ImportProblem[];
}

export type DefaultsCache = Map<string, FolderDefaults>;

/** The defaults that apply in `dir`, reading defaults files from `root` down (each read once per cache). */
export function defaultsFor(dir: string, root: string, cache: DefaultsCache): FolderDefaults {
  const hit = cache.get(dir);
  if (hit) return hit;
  const rel = path.relative(root, dir);
  const atTop = rel === '' || rel.startsWith('..') || path.isAbsolute(rel);
  const parent = atTop ? null : defaultsFor(path.dirname(dir), root, cache);
  const own = readDefaults(dir);
  let result: FolderDefaults;
  if (own.problems.length) result = { defaults: null, broken: own.file, own: own.problems };
  else if (parent?.broken) result = { defaults: null, broken: parent.broken, own: [] };
  else {
    const up = parent?.defaults ?? null;
    result = { defaults: own.value && up ? mergeConfig(own.value, up) : (own.value ?? up), broken: null, own: [] };
  }
  cache.set(dir, result);
  return result;
}

/** Every problem of the defaults files read into `cache`. */
export function defaultsProblems(cache: DefaultsCache): ImportProblem[] {
  return [...cache.values()].flatMap((d) => d.own);
}

function readDefaults(dir: string): { file: string | null; value: Dict | null; problems: ImportProblem[] } {
  for (const name of DEFAULTS_FILES) {
    const file = path.join(dir, name);
    const text = readFileText(file);
    // no such file, or a folder that happens to be named defaults.yml (walked like any folder)
    if (!text.ok && (text.code === 'ENOENT' || text.code === 'EISDIR')) continue;
    const problems = new Problems(file);
    const src = readSource(file, problems, text);
    if (!src) return { file, value: null, problems: problems.list };
    const read = readYaml(src);
    for (const p of read.problems) problems.add(p.pos, p.message);
    if (problems.size) return { file, value: null, problems: problems.list };
    if (read.value == null) return { file, value: null, problems: [] };
    if (!isDict(read.value)) {
      problems.add(posOf(read.value) ?? { src, offset: 0 }, `a defaults file is a map of DAG settings (default_args, schedule, ...) applied to every DAG below it`);
      return { file, value: null, problems: problems.list };
    }
    return { file, value: read.value, problems: [] };
  }
  return { file: null, value: null, problems: [] };
}
