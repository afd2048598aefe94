// A small state database for web tests, written in-process through the store (no CLI child): three DAGs (cron,
// timedelta and no schedule), a finished scheduled run of `etl` with two task instances, a queued manual run, a
// broken DAG file, and an audit log line.
import path from 'node:path';
import type { Store } from '../../engine/state/store.js';

export const SEEDED = {
  dags: ['daily', 'etl', 'report'],
  scheduledRun: 'scheduled__2024-01-02T00:00:00+00:00',
  manualRun: 'manual__2024-01-05T00:00:00+00:00',
} as const;

const spec = (dagId: string, dagsFolder: string, owner: string, tags: string[], schedule: string) =>
  ({ dagId, fileloc: path.join(dagsFolder, `${dagId}.yaml`), owner, description: `the ${dagId} DAG`, timezone: 'UTC', maxActiveRuns: 16, maxActiveTasks: 16, tags, schedule: { source: schedule } }) as never;

export function seedWebState(store: Store, dagsFolder: string): void {
  const specs = [spec('etl', dagsFolder, 'alice', ['team-a', 'daily'], '@daily'), spec('report', dagsFolder, 'bob', ['team-b'], 'None'), spec('daily', dagsFolder, 'carol', [], '1 day, 0:00:00')];
  store.dags.sync(specs, (d) => (d as unknown as { schedule: { source: string } }).schedule.source, () => 'At 00:00');
  const tasks = ['extract', 'load'].map((taskId) => ({ taskId, operator: 'BashOperator', pool: 'default_pool', poolSlots: 1, priorityWeight: 1, maxTries: 1 }));
  const day = (d: string) => new Date(`2024-01-${d}T00:00:00Z`);
  store.runs.create({ dagId: 'etl', runId: SEEDED.scheduledRun, runType: 'scheduled', logicalDate: day('02'), dataIntervalStart: day('02'), dataIntervalEnd: day('03'), conf: {}, externalTrigger: false }, tasks);
  store.runs.create({ dagId: 'etl', runId: SEEDED.manualRun, runType: 'manual', logicalDate: day('05'), dataIntervalStart: day('05'), dataIntervalEnd: day('05'), conf: { k: 1 }, externalTrigger: true }, tasks);
  store.db.prepare(`UPDATE dag_run SET state = 'success', start_date = '2024-01-03T00:00:01.000Z', end_date = '2024-01-03T00:00:09.000Z' WHERE run_id = ?`).run(SEEDED.scheduledRun);
  store.db.prepare(`UPDATE task_instance SET state = 'success', try_number = 1, hostname = 'worker-1', start_date = '2024-01-03T00:00:02.000Z',
    end_date = '2024-01-03T00:00:04.000Z', duration = 2 WHERE run_id = ?`).run(SEEDED.scheduledRun);
  store.importErrors.replace([{ file: path.join(dagsFolder, 'broken.yaml'), line: 2, column: 13, message: "unknown schedule preset '@sometimes'" }], dagsFolder);
  store.events.add({ event: 'trigger', dagId: 'etl', runId: SEEDED.manualRun, executionDate: '2024-01-05T00:00:00.000Z', owner: 'alice' });
}
