// The `log` table: Airflow's audit trail of who did what (triggers, clears, state changes, attempts).
import type { Db } from './db.js';
import { iso, type EventLogRow } from './rows.js';

export interface EventInput {
  event: string;
  dagId?: string | null;
  taskId?: string | null;
  runId?: string | null;
  executionDate?: string | null;
  tryNumber?: number | null;
  owner?: string | null;
  extra?: unknown;
}

export class EventLogRepo {
  private readonly insert;
  constructor(private readonly db: Db) {
    this.insert = db.prepare(`INSERT INTO log (dttm, dag_id, task_id, map_index, event, execution_date, run_id, owner, try_number, extra)
                              VALUES (?, ?, ?, -1, ?, ?, ?, ?, ?, ?)`);
  }

  add(e: EventInput): void {
    this.insert.run(
      iso(),
      e.dagId ?? null,
      e.taskId ?? null,
      e.event,
      e.executionDate ?? null,
      e.runId ?? null,
      e.owner ?? process.env.USER ?? 'windsock',
      e.tryNumber ?? null,
      e.extra === undefined ? null : JSON.stringify(e.extra),
    );
  }

  /** The error recorded with the latest `event` (e.g. 'failed') of a task instance, if any. */
  lastError(dagId: string, runId: string, taskId: string, event: string): string | undefined {
    const extra = this.db
      .prepare(`SELECT extra FROM log WHERE dag_id = ? AND run_id = ? AND task_id = ? AND event = ? ORDER BY id DESC LIMIT 1`)
      .pluck()
      .get(dagId, runId, taskId, event) as string | null | undefined;
    if (!extra) return undefined;
    const error = (JSON.parse(extra) as { error?: unknown }).error;
    return typeof error === 'string' ? error : undefined;
  }

  list(filter: { dagId?: string; event?: string; limit?: number } = {}): EventLogRow[] {
    return this.db
      .prepare(`SELECT * FROM log WHERE (@dag IS NULL OR dag_id = @dag) AND (@event IS NULL OR event = @event) ORDER BY id LIMIT @limit`)
      .all({ dag: filter.dagId ?? null, event: filter.event ?? null, limit: filter.limit ?? 1000 }) as EventLogRow[];
  }
}
