// The `dag_warning` table (Airflow's): problems that let a DAG load but not run as written. Today one type, Airflow's
// 'nonexistent pool' (a task whose pool does not exist stays scheduled forever), recomputed whenever the DAGs folder
// is parsed or a pool is set or deleted.
import { statementCache, type Db, type Sql } from './db.js';
import { iso } from './rows.js';
import type { DagSpec } from '../types.js';

export const NONEXISTENT_POOL = 'nonexistent pool';

export interface DagWarning {
  dag_id: string;
  warning_type: string;
  message: string;
}

export interface DagWarningRow extends DagWarning {
  timestamp: string;
}

/** One warning per DAG whose tasks use pools not in `pools`, in Airflow's words. Pure. */
export function poolWarnings(dags: Iterable<DagSpec>, pools: ReadonlySet<string>): DagWarning[] {
  const out: DagWarning[] = [];
  for (const dag of dags) {
    const missing = [...new Set(dag.tasks.map((t) => t.pool).filter((p) => !pools.has(p)))].sort();
    if (!missing.length) continue;
    const tasks = dag.tasks.filter((t) => missing.includes(t.pool)).map((t) => t.taskId);
    out.push({
      dag_id: dag.dagId,
      warning_type: NONEXISTENT_POOL,
      message: `Dag '${dag.dagId}' references non-existent pools: ${missing.map((p) => `'${p}'`).join(', ')} (tasks ${tasks.join(', ')} would never run): create ${missing.length > 1 ? 'them' : 'it'} with dag pools set ${missing[0]} SLOTS`,
    });
  }
  return out;
}

export class DagWarningRepo {
  private readonly sql: Sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /** Make the warnings of `type` exactly `warnings`; a warning that did not change keeps its timestamp. */
  replace(type: string, warnings: DagWarning[]): void {
    const now = iso();
    this.db.transaction(() => {
      const keep = new Set(warnings.map((w) => w.dag_id));
      for (const id of this.sql('SELECT dag_id FROM dag_warning WHERE warning_type = ?').pluck().all(type) as string[]) {
        if (!keep.has(id)) this.sql('DELETE FROM dag_warning WHERE dag_id = ? AND warning_type = ?').run(id, type);
      }
      const upsert = this.sql(`INSERT INTO dag_warning (dag_id, warning_type, message, timestamp) VALUES (@dag_id, @warning_type, @message, @t)
        ON CONFLICT (dag_id, warning_type) DO UPDATE SET message = excluded.message, timestamp = excluded.timestamp WHERE message <> excluded.message`);
      for (const w of warnings) upsert.run({ ...w, t: now });
    })();
  }

  /** Recompute the 'nonexistent pool' warnings of `dags` against the pools that exist now. */
  refreshPools(dags: Iterable<DagSpec>): void {
    const pools = new Set(this.sql('SELECT pool FROM slot_pool').pluck().all() as string[]);
    this.replace(NONEXISTENT_POOL, poolWarnings(dags, pools));
  }

  list(dagId?: string): DagWarningRow[] {
    return this.sql('SELECT dag_id, warning_type, message, timestamp FROM dag_warning WHERE (@dag IS NULL OR dag_id = @dag) ORDER BY dag_id, warning_type')
      .all({ dag: dagId ?? null }) as DagWarningRow[];
  }
}
