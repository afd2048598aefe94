// The `dag_folder_parse` table: the fingerprint of the DAGs folder as it was when `dag` and `import_error` were last
// synced from it. A listing whose folder still has that fingerprint can trust the tables without parsing.
import { statementCache, type Db, type Sql } from './db.js';
import { iso } from './rows.js';

export class FolderParseRepo {
  private readonly sql: Sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  signature(): string | undefined {
    return (this.sql('SELECT signature FROM dag_folder_parse WHERE id = 1').get() as { signature: string } | undefined)?.signature;
  }

  record(signature: string): void {
    this.db
      .prepare('INSERT INTO dag_folder_parse (id, signature, parsed_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET signature = excluded.signature, parsed_at = excluded.parsed_at')
      .run(signature, iso());
  }

  /** Forget the fingerprint, so the next listing parses the folder again (after a DAG's rows were deleted). */
  forget(): void {
    this.sql('DELETE FROM dag_folder_parse').run();
  }
}
