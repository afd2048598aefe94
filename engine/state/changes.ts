// The `change` table: what changed in the state database, in commit order. Triggers on dag, dag_run, task_instance,
// import_error, slot_pool, backfill, variable and user append to it in the same transaction as the change (migrations 5 and 11), so
// a reader that remembers the last id it saw can never miss a commit, whichever process made it.
import { statementCache, type Db, type Sql } from './db.js';

export type ChangeKind = 'dag' | 'dag_run' | 'task_instance' | 'import_error' | 'pool' | 'backfill' | 'variable' | 'user';
export type ChangeOp = 'insert' | 'update' | 'delete';

/** The table's columns but the payload. */
interface ChangeColumns {
  id: number;
  at: string;
  kind: ChangeKind;
  op: ChangeOp;
  dag_id: string | null;
  run_id: string | null;
  task_id: string | null;
  state: string | null;
}

export interface ChangeRow extends ChangeColumns {
  payload: string;
}

/** A change as clients see it: the row's columns with its payload (try number, previous state...) spread in. */
export interface Change extends ChangeColumns {
  [extra: string]: unknown;
}

export function toChange(row: ChangeRow): Change {
  const { payload, ...cols } = row;
  return { ...(JSON.parse(payload) as Record<string, unknown>), ...cols };
}

export class ChangeRepo {
  private readonly sql: Sql;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  /** Changes with `after < id <= upTo`, oldest first, at most `limit`. */
  between(after: number, upTo: number, limit = 1000): ChangeRow[] {
    return this.sql('SELECT * FROM change WHERE id > ? AND id <= ? ORDER BY id LIMIT ?').all(after, upTo, limit) as ChangeRow[];
  }

  since(after: number, limit = 1000): ChangeRow[] {
    return this.between(after, Number.MAX_SAFE_INTEGER, limit);
  }

  /** The id of the latest change ever written (kept by AUTOINCREMENT even when the table was trimmed empty). */
  latestId(): number {
    return (this.sql(`SELECT seq FROM sqlite_sequence WHERE name = 'change'`).pluck().get() as number | undefined) ?? 0;
  }

  /** The oldest id still in the table (older ones were trimmed), or null when it is empty. */
  oldestId(): number | null {
    return (this.sql('SELECT min(id) FROM change').pluck().get() as number | null) ?? null;
  }
}
