// Removing every row a DAG owns, whatever table holds it: each table with a `dag_id` column (Airflow's delete_dag
// walks its models the same way, airflow/api/common/delete_dag.py), except the audit trail and the rows that belong
// to processes or to the change feed rather than to the DAG.
import type { Db } from './db.js';

const KEPT = new Set(['log', 'change', 'job']);

/** Tables with a dag_id column, found from the schema so that tables added by later migrations are covered too. */
export function tablesWithDagId(db: Db): string[] {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
  return tables.filter((t) => !KEPT.has(t) && (db.prepare(`SELECT 1 FROM pragma_table_info(?) WHERE name = 'dag_id'`).pluck().get(t) as number | undefined) === 1);
}

/** Delete the DAG's rows from every such table (the `dag` row last); returns how many rows went. Call in a transaction. */
export function purgeDagRows(db: Db, dagId: string): number {
  // dag_run before task_instance, so the change feed records each run's delete, not each task instance's
  // (migration 11); the `dag` row last.
  const rank = (t: string) => (t === 'dag_run' ? -1 : t === 'dag' ? 1 : 0);
  const tables = tablesWithDagId(db).sort((a, b) => rank(a) - rank(b));
  // Foreign keys between these tables (a run's backfill, say) are checked at commit, when all the rows are gone,
  // so the order of the deletes does not matter; the setting ends with the transaction.
  db.pragma('defer_foreign_keys = ON');
  let rows = 0;
  for (const t of tables) rows += db.prepare(`DELETE FROM "${t}" WHERE dag_id = ?`).run(dagId).changes;
  return rows;
}
