// One DAG file -> its DAGs and its problems. The file is a map of dag_id -> settings, plus an optional `default:`
// block merged into every DAG of the file (dag-factory's README, github.com/astronomer/dag-factory). A bad DAG never hides the good ones next to it.
import path from 'node:path';
import { logger } from '../log.js';
import type { OperatorRegistry } from '../operators/registry.js';
import type { DagSpec, ImportProblem } from '../types.js';
import { buildDag } from './build-dag.js';
import { excerpt, kindOf } from './excerpt.js';
import { readSource } from './file-text.js';
import { defaultsFor, defaultsProblems, isDefaultsFile, type DefaultsCache } from './folder-defaults.js';
import { isDict, keyPos, posOf, valuePos, type Dict } from './located.js';
import { mergeConfig } from './merge.js';
import { checkName } from './names.js';
import { OperatorCatalog } from './operator-catalog.js';
import { Problems } from './problems.js';
import { readYaml } from './yaml-source.js';

export interface LoadOptions {
  /** The clock for relative dates ("2 days"); default now. */
  now?: Date;
  /**
   * The folder whose defaults.yml / defaults.yaml files apply (from it down to the file's folder). Default: the
   * file's own folder.
   */
  defaultsRoot?: string;
}

export interface FileResult {
  dags: DagSpec[];
  problems: ImportProblem[];
}

export function loadDagFile(file: string, registry: OperatorRegistry, options: LoadOptions = {}): FileResult {
  const abs = path.resolve(file);
  const root = path.resolve(options.defaultsRoot ?? path.dirname(abs));
  const cache: DefaultsCache = new Map();
  const result = loadOne(abs, OperatorCatalog.of(registry), options.now ?? new Date(), root, cache);
  // A broken defaults file is reported with its own errors too (loadDagFolder reports them once for all files).
  return { dags: result.dags, problems: [...defaultsProblems(cache), ...result.problems] };
}

/**
 * Shared by loadDagFile and loadDagFolder (which passes one catalog and one defaults cache for all files). Never
 * throws: whatever is wrong with one file is that file's problems, so the other DAGs, the command and a running
 * scheduler carry on.
 */
export function loadOne(abs: string, catalog: OperatorCatalog, now: Date, root: string, cache: DefaultsCache): FileResult {
  const problems = new Problems(abs);
  try {
    return loadChecked(abs, catalog, now, root, cache, problems);
  } catch (err) {
    // A windsock bug, but one that costs this file only; the stack goes to the log for the bug report.
    logger.error({ err, file: abs }, 'loading a DAG file failed');
    const e = err as Error;
    problems.add(undefined, `windsock bug while loading this file (${e?.name ?? 'Error'}: ${excerpt(String(e?.message ?? e), 120)}): please report it`);
    return { dags: [], problems: problems.list };
  }
}

function loadChecked(abs: string, catalog: OperatorCatalog, now: Date, root: string, cache: DefaultsCache, problems: Problems): FileResult {
  const src = readSource(abs, problems);
  if (!src) return { dags: [], problems: problems.list };
  const read = readYaml(src);
  for (const p of read.problems) problems.add(p.pos, p.message);
  if (read.problems.length || read.value == null) return { dags: [], problems: problems.list };
  const folder = defaultsFor(path.dirname(abs), root, cache);
  if (folder.broken) {
    problems.add(undefined, `the defaults file ${folder.broken} has problems: fix it first (see its own errors)`);
    return { dags: [], problems: problems.list };
  }
  if (isDefaultsFile(abs)) return { dags: [], problems: problems.list };
  if (!isDict(read.value)) {
    problems.add(posOf(read.value) ?? { src, offset: 0 }, `a DAG file is a map of dag_id -> DAG settings, got ${kindOf(read.value)}${typeof read.value === 'string' ? ": is it a DAG file? (one starts with a dag_id and a colon, e.g. 'my_dag:')" : ''}`);
    return { dags: [], problems: problems.list };
  }
  const file = read.value;
  let defaults: Dict | null = folder.defaults;
  if (file.default != null) {
    if (isDict(file.default)) defaults = defaults ? mergeConfig(file.default, defaults) : file.default;
    else {
      problems.add(valuePos(file, 'default'), `the 'default' block must be a map of DAG settings merged into every DAG of the file`);
      return { dags: [], problems: problems.list };
    }
  }
  const env = { problems, catalog, now };
  const dags: DagSpec[] = [];
  // A key that is no DAG id over a value that is no map is not a DAG written wrong but a line of some other file
  // (`root:$6$...:::` of /etc/shadow is such a key): one problem for all of them, quoting none.
  const strays = new Set(Object.keys(file).filter((k) => k !== 'default' && !isDict(file[k]) && checkName('DAG id', k) !== null));
  if (strays.size) {
    const many = strays.size > 1 ? `${strays.size} top-level entries are not DAGs` : 'this top-level entry is not a DAG';
    problems.add(keyPos(file, [...strays][0]), `${many}: a DAG is a dag_id (letters, digits, '.', '_', '-') over a map of its settings; is this a DAG file?`);
  }
  for (const dagId of Object.keys(file)) {
    if (dagId === 'default' || strays.has(dagId)) continue;
    const raw = file[dagId];
    const config = isDict(raw) && defaults ? mergeConfig(raw, defaults) : raw;
    const dag = buildDag(dagId, config, keyPos(file, dagId), env);
    if (dag) dags.push({ ...dag, fileloc: abs });
  }
  return { dags, problems: problems.list };
}
