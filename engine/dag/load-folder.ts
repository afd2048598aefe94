// The DAGs folder -> every DAG in it. Each *.yaml / *.yml file (recursively, sorted, hidden entries skipped) is
// loaded on its own, so one broken file never stops the others; a dag_id seen twice keeps the first file's DAG and
// reports the second.
import fs from 'node:fs';
import path from 'node:path';
import type { OperatorRegistry } from '../operators/registry.js';
import type { DagSpec, ImportProblem } from '../types.js';
import { defaultsProblems, isDefaultsFile, type DefaultsCache } from './folder-defaults.js';
import { loadOne, type LoadOptions } from './load-file.js';
import { OperatorCatalog } from './operator-catalog.js';
import { yamlFiles } from './yaml-files.js';

export interface FolderResult {
  dags: DagSpec[];
  problems: ImportProblem[];
  /** The DAG files read (absolute, sorted; defaults files are not listed). */
  files: string[];
}

export function loadDagFolder(folder: string, registry: OperatorRegistry, options: Omit<LoadOptions, 'defaultsRoot'> = {}): FolderResult {
  const root = path.resolve(folder);
  if (!fs.existsSync(root)) {
    return { dags: [], files: [], problems: [{ file: root, line: null, column: null, message: `the DAGs folder ${root} does not exist: create it or set WINDSOCK_DAGS_FOLDER` }] };
  }
  const files = dagFiles(root);
  const catalog = OperatorCatalog.of(registry);
  const now = options.now ?? new Date();
  const cache: DefaultsCache = new Map();
  const dags: DagSpec[] = [];
  const problems: ImportProblem[] = [];
  const seen = new Map<string, DagSpec>();
  for (const file of files) {
    const r = loadOne(file, catalog, now, root, cache);
    problems.push(...r.problems);
    for (const dag of r.dags) {
      const first = seen.get(dag.dagId);
      if (first) {
        problems.push({
          file,
          line: dag.line,
          column: dag.line == null ? null : 1,
          dagId: dag.dagId,
          message: `DAG id '${dag.dagId}' is already defined in ${first.fileloc}${first.line ? `:${first.line}` : ''}: DAG ids must be unique across files; rename one of them`,
        });
        continue;
      }
      seen.set(dag.dagId, dag);
      dags.push(dag);
    }
  }
  return { dags, problems: [...defaultsProblems(cache), ...problems], files };
}

/** *.yaml / *.yml files under `root`, sorted, without defaults files; hidden files and folders are skipped. */
export function dagFiles(root: string): string[] {
  return yamlFiles(root).filter((f) => !isDefaultsFile(f));
}
