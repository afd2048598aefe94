// The timetable vocabulary of Airflow 2 (airflow/timetables/base.py), with UTC instants as Dates.

/** A run's data interval; `end` is exclusive. */
export interface DataInterval {
  start: Date;
  end: Date;
}

export interface DagRunInfo {
  /** When the scheduler may create the run: the end of the data interval (the instant itself for exact runs). */
  runAfter: Date;
  dataInterval: DataInterval;
  /** Airflow 2's logical date (execution_date): the start of the data interval. */
  logicalDate: Date;
}

/** Bounds on automated runs from the DAG's and tasks' start/end dates; both bounds are inclusive. */
export interface TimeRestriction {
  earliest: Date | null;
  latest: Date | null;
  catchup: boolean;
}

export function intervalInfo(start: number, end: number): DagRunInfo {
  return { runAfter: new Date(end), dataInterval: { start: new Date(start), end: new Date(end) }, logicalDate: new Date(start) };
}

export function exactInfo(at: number): DagRunInfo {
  return { runAfter: new Date(at), dataInterval: { start: new Date(at), end: new Date(at) }, logicalDate: new Date(at) };
}
