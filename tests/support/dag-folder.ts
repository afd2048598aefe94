// A workspace's DAG files recorded in its state database as a parse by the scheduler records them (cli/context.ts
// loadAll): the `dag` rows with their schedules, and the import errors of the broken files.
import { loadRegistry } from '../../cli/plugins.js';
import { loadDagFolder } from '../../engine/dag/index.js';
import { describeSchedule } from '../../engine/schedule/index.js';
import type { Store } from '../../engine/state/store.js';

export async function syncDagFolder(store: Store, dagsFolder: string): Promise<ReturnType<typeof loadDagFolder>> {
  const parsed = loadDagFolder(dagsFolder, await loadRegistry());
  store.dags.sync(parsed.dags, (d) => d.schedule.source, (d) => describeSchedule(d.schedule, d.timezone));
  store.importErrors.replace(parsed.problems, dagsFolder);
  store.dags.markImportErrors([...new Set(parsed.problems.map((p) => p.file))]);
  return parsed;
}

/** Three bash tasks in a line, unscheduled: the API tests' DAG to trigger, mark and clear. */
export const CHAIN_DAG = `chain:
  schedule: null
  default_args: {start_date: 2024-01-01}
  tasks:
    - {task_id: extract, operator: bash, bash_command: 'echo e'}
    - {task_id: transform, operator: bash, bash_command: 'echo t', dependencies: [extract]}
    - {task_id: load, operator: bash, bash_command: 'echo l', dependencies: [transform]}
`;
