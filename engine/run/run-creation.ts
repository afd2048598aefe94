// Which scheduled runs a DAG is due for now (Airflow's dags_needing_dagruns + _create_dag_runs): a pure decision
// over the DAG, its last automated data interval, how many runs are active and the clock.
import type { DagSpec } from '../types.js';
import { nextDagRunInfo, timeRestriction, type DagRunInfo, type DataInterval } from '../schedule/index.js';

export interface DueRuns {
  /** Runs to create now, oldest first. */
  create: DagRunInfo[];
  /** The next run after those (what `dag.next_dagrun*` shows), or null when the timetable is exhausted. */
  next: DagRunInfo | null;
  /** True when max_active_runs held creation back. */
  atMaxActiveRuns: boolean;
}

/**
 * Every run whose data interval has ended by `now`, while fewer than max_active_runs are active (queued or running).
 * With catchup the timetable yields each missed interval in turn; without it, only the latest.
 */
export function dueRuns(dag: DagSpec, last: DataInterval | null, activeRuns: number, now: Date, limit = 100): DueRuns {
  const restriction = timeRestriction(dag);
  const create: DagRunInfo[] = [];
  let active = activeRuns;
  let info = nextDagRunInfo(dag.schedule, dag.timezone, last, restriction, now);
  while (info && info.runAfter.getTime() <= now.getTime() && create.length < limit) {
    if (active >= dag.maxActiveRuns) return { create, next: info, atMaxActiveRuns: true };
    create.push(info);
    active++;
    const following = nextDagRunInfo(dag.schedule, dag.timezone, info.dataInterval, restriction, now);
    // @once and other exact timetables can yield the same interval again: stop rather than loop.
    if (following && following.logicalDate.getTime() <= info.logicalDate.getTime()) {
      info = null;
      break;
    }
    info = following;
  }
  return { create, next: info, atMaxActiveRuns: false };
}
