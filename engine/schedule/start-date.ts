// A run's logical date is never before its DAG's start_date: `dag run --date`, `dag backfill --from` and
// `dag trigger --logical-date` (and the REST API) refuse such a date alike, as Airflow's backfill refuses it.
import { UserError } from '../types.js';
import { toAirflowIso } from './run-id.js';

/** Why a run at `logicalDate` may not be made (`given` says which flag held what), or null. */
export function beforeStartProblem(dag: { startDate: Date | null }, logicalDate: Date, given: string): string | null {
  if (!dag.startDate || logicalDate >= dag.startDate) return null;
  return `${given} is before the DAG's start_date ${toAirflowIso(dag.startDate)}: pick a date on or after it`;
}

export function checkNotBeforeStart(dag: { startDate: Date | null }, logicalDate: Date, given: string): void {
  const problem = beforeStartProblem(dag, logicalDate, given);
  if (problem) throw new UserError(problem);
}
