// Timetables: Airflow 2's scheduling rules (airflow/timetables/interval.py, airflow/timetables/trigger.py) as pure functions of the schedule, the DAG's time zone,
// the last automated run and the clock. All instants are UTC Dates.
export type { DataInterval, DagRunInfo, TimeRestriction } from './types.js';
export { timeRestriction, nextDagRunInfo, nextExecutions, iterDagRunInfosBetween, inferManualDataInterval } from './next-run.js';
export { runForDate, parseRunDate } from './run-date.js';
export { runId, parseRunType, toAirflowIso } from './run-id.js';
export { describeSchedule } from './describe.js';
export { beforeStartProblem, checkNotBeforeStart } from './start-date.js';
export { scheduleProblem } from './validate.js';
