// Settings checked when a command starts: the engine's WINDSOCK_* variables for every command, and the settings of
// the operators a DAG uses before a command creates or runs one of its runs (so a typo never leaves a failed run).
import { engineSettings, ENGINE_VARIABLES } from '../engine/settings.js';
import { PIPELINE_VARIABLES } from '../tasks/settings.js';
import { unknownVariables } from '../engine/env-vars.js';
import { WEB_VARIABLE_NAMES } from '../ui/server/settings.js';
import { closest } from '../engine/dag/suggest.js';
import type { OperatorRegistry } from '../engine/operators/registry.js';
import type { DagSpec } from '../engine/types.js';

/** WINDSOCK_VAR_* / AIRFLOW_VAR_* are Airflow Variables, not settings. */
const NOT_SETTINGS = ['WINDSOCK_VAR_'];

export function checkEngineSettings(env: NodeJS.ProcessEnv = process.env, warn = (m: string) => process.stderr.write(m + '\n')): void {
  engineSettings(env);
  const known = [...Object.keys(ENGINE_VARIABLES), ...Object.keys(PIPELINE_VARIABLES), ...WEB_VARIABLE_NAMES];
  for (const name of unknownVariables(env, ['WINDSOCK_', 'OPENAQ_'], known, NOT_SETTINGS)) {
    const [best] = closest(name, known, 1);
    warn(`warning: ${name} is not a windsock setting${best ? ` (did you mean ${best}?)` : ''}; see the settings in README.md`);
  }
}

/** Each operator's checkSettings once, for the operators `dags` use; throws the first bad setting's UserError. */
export function checkDagSettings(registry: OperatorRegistry, dags: Iterable<DagSpec>, env: NodeJS.ProcessEnv = process.env): void {
  const checks = new Set<(env: NodeJS.ProcessEnv) => void>();
  for (const dag of dags) for (const t of dag.tasks) {
    const check = registry.resolve(t.operator)?.checkSettings;
    if (check) checks.add(check);
  }
  for (const check of checks) check(env);
}
