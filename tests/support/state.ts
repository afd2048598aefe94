// Reading a workspace's state database directly, as a user with sqlite3 would.
import path from 'node:path';
import Database from 'better-sqlite3';

export function stateDb(home: string): Database.Database {
  return new Database(path.join(home, 'windsock.db'), { readonly: true, fileMustExist: true });
}

export function taskStates(home: string, dagId: string): Record<string, string | null> {
  const db = stateDb(home);
  try {
    const rows = db.prepare('SELECT task_id, state FROM task_instance WHERE dag_id = ? ORDER BY task_id').all(dagId) as { task_id: string; state: string | null }[];
    return Object.fromEntries(rows.map((r) => [r.task_id, r.state]));
  } finally {
    db.close();
  }
}
