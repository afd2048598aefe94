// Which scheduled task instances start now: ordered by priority weight (highest first), then logical date, within
// the runner's free slots, each DAG's max_active_tasks and each pool's open slots (Airflow's
// _executable_task_instances_to_queued). Pure apart from the lookups it is given.
import type { TaskSpec } from '../types.js';
import type { TaskInstanceRow } from '../state/rows.js';
import type { ActiveRun } from './active-run.js';

export interface Candidate {
  run: ActiveRun;
  ti: TaskInstanceRow;
  task: TaskSpec;
}

export interface Capacity {
  /** Attempts this runner may still start (parallelism minus running). */
  freeSlots: number;
  /** Queued + running task instances of the DAG, across all processes. */
  activeForDag(dagId: string): number;
  /** Size of a pool, or undefined when it does not exist. */
  poolSlots(pool: string): number | undefined;
  occupiedSlots(pool: string): number;
}

export function pickDispatchable(candidates: Candidate[], cap: Capacity): Candidate[] {
  const ordered = [...candidates].sort(
    (a, b) => b.ti.priority_weight - a.ti.priority_weight || a.run.row.logical_date.localeCompare(b.run.row.logical_date) || a.ti.task_id.localeCompare(b.ti.task_id),
  );
  const dagActive = new Map<string, number>();
  const poolOpen = new Map<string, number>();
  const chosen: Candidate[] = [];
  let free = cap.freeSlots;
  for (const c of ordered) {
    if (free <= 0) break;
    const dagId = c.run.dag.dagId;
    const active = dagActive.get(dagId) ?? cap.activeForDag(dagId);
    if (active >= c.run.dag.maxActiveTasks) continue;
    const pool = c.ti.pool;
    let open = poolOpen.get(pool);
    if (open === undefined) {
      const size = cap.poolSlots(pool);
      // slots -1: an unlimited pool (Airflow 3's PoolBody allows it)
      open = size === undefined ? 0 : size < 0 ? Infinity : size - cap.occupiedSlots(pool);
    }
    if (open < c.ti.pool_slots) {
      poolOpen.set(pool, open);
      continue;
    }
    chosen.push(c);
    free--;
    dagActive.set(dagId, active + 1);
    poolOpen.set(pool, open - c.ti.pool_slots);
  }
  return chosen;
}
