// The `dag` table: one row per DAG ever loaded, with its pause flag and the scheduler's next-run fields.
import { statementCache, type Db, type Sql } from './db.js';
import { iso, type DagRow } from './rows.js';
import type { DagSpec } from '../types.js';

export class DagRepo {
  private readonly sql: Sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /** Record the DAGs just loaded; DAGs no longer in the folder become inactive (their history stays). */
  sync(dags: DagSpec[], scheduleText: (d: DagSpec) => string, timetableDescription: (d: DagSpec) => string): void {
    const upsert = this.sql(`
      INSERT INTO dag (dag_id, is_paused, is_active, fileloc, owners, description, schedule_interval, timetable_description,
                       timezone, max_active_runs, max_active_tasks, has_import_errors, last_parsed_time, tags)
      VALUES (@dag_id, 0, 1, @fileloc, @owners, @description, @schedule_interval, @timetable_description,
              @timezone, @max_active_runs, @max_active_tasks, 0, @now, @tags)
      ON CONFLICT (dag_id) DO UPDATE SET is_active = 1, fileloc = excluded.fileloc, owners = excluded.owners,
        description = excluded.description, schedule_interval = excluded.schedule_interval,
        timetable_description = excluded.timetable_description, timezone = excluded.timezone,
        max_active_runs = excluded.max_active_runs, max_active_tasks = excluded.max_active_tasks,
        has_import_errors = 0, last_parsed_time = excluded.last_parsed_time, tags = excluded.tags`);
    const now = iso();
    this.db.transaction(() => {
      const ids = dags.map((d) => d.dagId);
      this.sql(`UPDATE dag SET is_active = 0 WHERE dag_id NOT IN (SELECT value FROM json_each(?))`).run(JSON.stringify(ids));
      for (const d of dags) {
        upsert.run({
          dag_id: d.dagId,
          fileloc: d.fileloc,
          owners: d.owner,
          description: d.description,
          schedule_interval: scheduleText(d),
          timetable_description: timetableDescription(d),
          timezone: d.timezone,
          max_active_runs: d.maxActiveRuns,
          max_active_tasks: d.maxActiveTasks,
          now,
          tags: JSON.stringify(d.tags),
        });
      }
    })();
  }

  /** Flag DAGs whose file currently fails to import (they keep their rows, but create no new runs). */
  markImportErrors(files: string[]): void {
    this.sql(`UPDATE dag SET has_import_errors = CASE WHEN fileloc IN (SELECT value FROM json_each(?)) THEN 1 ELSE 0 END`)
      .run(JSON.stringify(files));
  }

  get(dagId: string): DagRow | undefined {
    return this.sql('SELECT * FROM dag WHERE dag_id = ?').get(dagId) as DagRow | undefined;
  }

  list(opts: { includeInactive?: boolean } = {}): DagRow[] {
    const where = opts.includeInactive ? '' : 'WHERE is_active = 1';
    return this.sql(`SELECT * FROM dag ${where} ORDER BY dag_id`).all() as DagRow[];
  }

  setPaused(dagId: string, paused: boolean): boolean {
    return this.sql('UPDATE dag SET is_paused = ? WHERE dag_id = ?').run(paused ? 1 : 0, dagId).changes > 0;
  }

  isPaused(dagId: string): boolean {
    return (this.sql('SELECT is_paused FROM dag WHERE dag_id = ?').pluck().get(dagId) as number | undefined) === 1;
  }

  setNextDagrun(dagId: string, next: { logicalDate: Date; start: Date; end: Date; createAfter: Date | null } | null): void {
    this.db
      .prepare(`UPDATE dag SET next_dagrun = ?, next_dagrun_data_interval_start = ?, next_dagrun_data_interval_end = ?,
                next_dagrun_create_after = ? WHERE dag_id = ?`)
      .run(
        next ? iso(next.logicalDate) : null,
        next ? iso(next.start) : null,
        next ? iso(next.end) : null,
        next?.createAfter ? iso(next.createAfter) : null,
        dagId,
      );
  }
}
