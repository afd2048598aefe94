// Writing DAG files to a temporary folder and loading them as windsock does, with the built-in operators.
import fs from 'node:fs';
import path from 'node:path';
import { loadDagFile, type FileResult } from '../../../engine/dag/index.js';
import { builtinOperators } from '../../../engine/operators/builtin.js';
import { OperatorRegistry } from '../../../engine/operators/registry.js';
import type { DagSpec, ImportProblem, TaskSpec } from '../../../engine/types.js';
import { tempDir } from '../../support/tmp.js';

export function builtinRegistry(): OperatorRegistry {
  return new OperatorRegistry().registerAll(builtinOperators);
}

/** A fixed clock for relative dates: 2024-06-15 10:30 UTC. */
export const NOW = new Date('2024-06-15T10:30:00Z');

let base: string | undefined;
let count = 0;

/** Write `files` (name -> text) into a fresh folder; returns the folder. */
export function writeFiles(files: Record<string, string>): string {
  base ??= tempDir('windsock-dag-');
  const dir = path.join(base, String(++count));
  fs.mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Load one DAG file written from `text`. */
export function loadText(text: string, name = 'dag.yaml'): FileResult & { file: string } {
  const dir = writeFiles({ [name]: text });
  const file = path.join(dir, name);
  return { ...loadDagFile(file, builtinRegistry(), { now: NOW }), file };
}

/** "dag.yaml:3:5: message", as a user sees it (file name only, so tests do not depend on the temp folder). */
export function shown(p: ImportProblem): string {
  return `${path.basename(p.file)}:${p.line}:${p.column}: ${p.message}`;
}

export function task(dag: DagSpec, id: string): TaskSpec {
  const t = dag.tasks.find((x) => x.taskId === id);
  if (!t) throw new Error(`no task ${id} in ${dag.dagId}: ${dag.tasks.map((x) => x.taskId).join(', ')}`);
  return t;
}
