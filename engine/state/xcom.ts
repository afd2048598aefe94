// The `xcom` table: values tasks hand to each other, JSON-serialised (Airflow's default, no pickling).
import { statementCache, type Db, type Sql } from './db.js';
import { iso } from './rows.js';

export const RETURN_VALUE = 'return_value';

export interface XcomRow {
  dag_id: string;
  run_id: string;
  task_id: string;
  map_index: number;
  key: string;
  value: string | null;
  timestamp: string;
}

/** One XCom: the task instance that holds it and its key. */
export interface XcomKey {
  dagId: string;
  runId: string;
  taskId: string;
  mapIndex: number;
  key: string;
}

const WHERE_KEY = 'dag_id = @dagId AND run_id = @runId AND task_id = @taskId AND map_index = @mapIndex AND key = @key';

export class XcomRepo {
  private readonly upsert;
  private readonly pullOne;
  private readonly sql: Sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
    this.upsert = db.prepare(`INSERT INTO xcom (dag_id, run_id, task_id, map_index, key, value, timestamp) VALUES (?, ?, ?, -1, ?, ?, ?)
                              ON CONFLICT (dag_id, run_id, task_id, map_index, key) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp`);
    this.pullOne = db.prepare('SELECT value FROM xcom WHERE dag_id = ? AND run_id = ? AND task_id = ? AND key = ?');
  }

  push(dagId: string, runId: string, taskId: string, key: string, value: unknown): void {
    this.upsert.run(dagId, runId, taskId, key, JSON.stringify(value ?? null), iso());
  }

  /** The value, or undefined when there is none. `key` null: the most recent XCom of any key (Airflow's key=None). */
  pull(dagId: string, runId: string, taskId: string, key: string | null = RETURN_VALUE): unknown {
    const row = (
      key === null
        ? this.sql('SELECT value FROM xcom WHERE dag_id = ? AND run_id = ? AND task_id = ? ORDER BY timestamp DESC, rowid DESC LIMIT 1').get(dagId, runId, taskId)
        : this.pullOne.get(dagId, runId, taskId, key)
    ) as { value: string | null } | undefined;
    return row ? (row.value == null ? null : JSON.parse(row.value)) : undefined;
  }

  /** Remove a task's XComs before it runs again (Airflow clears them at the start of an attempt). */
  clearTask(dagId: string, runId: string, taskId: string): void {
    this.sql('DELETE FROM xcom WHERE dag_id = ? AND run_id = ? AND task_id = ?').run(dagId, runId, taskId);
  }

  list(filter: { dagId: string; runId: string; taskId?: string }): XcomRow[] {
    return this.sql(`SELECT * FROM xcom WHERE dag_id = @dagId AND run_id = @runId AND (@taskId IS NULL OR task_id = @taskId) ORDER BY task_id, key`)
      .all({ ...filter, taskId: filter.taskId ?? null }) as XcomRow[];
  }

  get(k: XcomKey): XcomRow | undefined {
    return this.sql(`SELECT * FROM xcom WHERE ${WHERE_KEY}`).get(k) as XcomRow | undefined;
  }

  /** Add an XCom whose value is already JSON text; false when one with that key exists. */
  insert(k: XcomKey, json: string): boolean {
    return this.sql(`INSERT INTO xcom (dag_id, run_id, task_id, map_index, key, value, timestamp) VALUES (@dagId, @runId, @taskId, @mapIndex, @key, @json, @t)
                     ON CONFLICT DO NOTHING`).run({ ...k, json, t: iso() }).changes > 0;
  }

  /** Replace an existing XCom's value (JSON text); false when there is none. */
  update(k: XcomKey, json: string): boolean {
    return this.sql(`UPDATE xcom SET value = @json, timestamp = @t WHERE ${WHERE_KEY}`).run({ ...k, json, t: iso() }).changes > 0;
  }

  delete(k: XcomKey): boolean {
    return this.sql(`DELETE FROM xcom WHERE ${WHERE_KEY}`).run(k).changes > 0;
  }
}
