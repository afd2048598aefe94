// The web benchmark's state database: 50 DAGs, 10,000 runs and 200,000 task instances (one run of 500 tasks),
// written through one connection in one transaction. Built in the load generator's process, so that the server's
// memory figures count only the server.
import { Store } from '../engine/state/store.js';

export const DAGS = 50;
export const RUNS = 10_000;
export const TASK_INSTANCES = 200_000;
export const BIG_RUN_TASKS = 500;
export const DAG_IDS = Array.from({ length: DAGS }, (_, i) => `dag_${String(i).padStart(2, '0')}`);

export function buildStateDb(home: string): { bigRun: { dagId: string; runId: string } } {
  const store = Store.open(home);
  const db = store.db;
  db.pragma('synchronous = OFF');
  const dagIds = DAG_IDS;
  const bigRun = { dagId: dagIds[0], runId: 'manual__2024-06-01T00:00:00+00:00' };
  const otherRuns = RUNS - 1;
  const perRun = Math.floor((TASK_INSTANCES - BIG_RUN_TASKS) / otherRuns);
  const extra = TASK_INSTANCES - BIG_RUN_TASKS - perRun * otherRuns; // the first `extra` runs get one more
  db.transaction(() => {
    const dag = db.prepare(`INSERT INTO dag (dag_id, fileloc, owners, description, schedule_interval, timetable_description, timezone,
      max_active_runs, max_active_tasks, last_parsed_time, tags) VALUES (?, ?, 'airflow', ?, '@daily', 'At 00:00', 'UTC', 16, 16, ?, ?)`);
    for (const [i, id] of dagIds.entries()) dag.run(id, `/dags/${id}.yaml`, `benchmark DAG ${i}`, new Date().toISOString(), JSON.stringify(['bench', `group-${i % 5}`]));
    const run = db.prepare(`INSERT INTO dag_run (dag_id, run_id, run_type, logical_date, data_interval_start, data_interval_end, state, queued_at,
      start_date, end_date, external_trigger, conf, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?)`);
    const ti = db.prepare(`INSERT INTO task_instance (dag_id, run_id, task_id, map_index, state, try_number, max_tries, start_date, end_date,
      duration, hostname, pool, operator, updated_at) VALUES (?, ?, ?, -1, ?, 1, 1, ?, ?, 1.5, 'bench-host', 'default_pool', 'BashOperator', ?)`);
    const day = Date.UTC(2020, 0, 1);
    const addRun = (dagId: string, runId: string, type: string, logical: number, state: string, tasks: number) => {
      const at = (ms: number) => new Date(logical + ms).toISOString();
      run.run(dagId, runId, type, at(0), at(0), at(86_400_000), state, at(86_400_000), at(86_401_000), at(86_460_000), type === 'manual' ? 1 : 0, at(86_460_000));
      for (let t = 0; t < tasks; t++) ti.run(dagId, runId, `task_${String(t).padStart(3, '0')}`, state === 'running' && t % 2 ? null : 'success', at(86_402_000), at(86_404_000), at(86_404_000));
    };
    for (let i = 0; i < otherRuns; i++) {
      const dagId = dagIds[i % DAGS];
      const logical = day + Math.floor(i / DAGS) * 86_400_000;
      const state = i % 97 === 0 ? 'failed' : i >= otherRuns - DAGS ? 'running' : 'success';
      addRun(dagId, `scheduled__${new Date(logical).toISOString().replace('.000Z', '+00:00')}`, 'scheduled', logical, state, perRun + (i < extra ? 1 : 0));
    }
    addRun(bigRun.dagId, bigRun.runId, 'manual', Date.parse('2024-06-01T00:00:00Z'), 'running', BIG_RUN_TASKS);
  })();
  const counts = db.prepare('SELECT (SELECT count(*) FROM dag_run) AS runs, (SELECT count(*) FROM task_instance) AS tis').get() as { runs: number; tis: number };
  if (counts.runs !== RUNS || counts.tis !== TASK_INSTANCES) throw new Error(`built ${counts.runs} runs and ${counts.tis} task instances`);
  store.close();
  return { bigRun };
}
