// The `dag_folder_parse` table: the fingerprint of the DAGs folder as it was when `dag` and `import_error` were last
// synced from it. A listing whose folder still has that fingerprint can trust the tables without parsing.
import type { Db } from './db.js';
import { iso } from './rows.js';

export class FolderParseRepo {
  constructor(private readonly db: Db) {}

  signature(): string | undefined {
    return (this.db.prepare('SELECT signature FROM dag_folder_parse WHERE id = 1').get() as { signature: string } | undefined)?.signature;
  }

  record(signature: string): void {
    this.db
      .prepare('INSERT INTO dag_folder_parse (id, signature, parsed_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET signature = excluded.signature, parsed_at = excluded.parsed_at')
      .run(signature, iso());
  }
}
