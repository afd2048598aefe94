// The `import_error` table: one row per broken DAG file ("Broken DAG: [file] error"), replaced on every parse.
import path from 'node:path';
import { statementCache, type Db, type Sql } from './db.js';
import { iso, type ImportErrorRow } from './rows.js';
import { formatProblem, type ImportProblem } from '../types.js';

export class ImportErrorRepo {
  private readonly sql: Sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /**
   * Record the problems of one parse of `files`: rows of files that now parse cleanly (or no longer exist under the
   * folder) are removed, broken files get one row each holding all their problems. A file broken the same way as
   * last time keeps its row (and id) untouched, so a parse that finds nothing new writes nothing, and the change
   * feed hears only of real changes.
   */
  replace(problems: ImportProblem[], folder: string): void {
    const byFile = new Map<string, ImportProblem[]>();
    for (const p of problems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
    const now = iso();
    this.db.transaction(() => {
      // the folder itself (it may be missing) and the files below it; not a sibling such as dags2/, and no LIKE
      // wildcards taken from the path
      const root = path.resolve(folder);
      const existing = this.sql(`SELECT id, filename, stacktrace FROM import_error WHERE filename = @root OR substr(filename, 1, length(@dir)) = @dir`)
        .all({ root, dir: root + path.sep }) as { id: number; filename: string; stacktrace: string }[];
      const wanted = new Map([...byFile].map(([file, ps]) => [file, ps.map(formatProblem).join('\n')]));
      for (const row of existing) {
        const text = wanted.get(row.filename);
        if (text === undefined) this.sql('DELETE FROM import_error WHERE id = ?').run(row.id);
        else if (text !== row.stacktrace) this.sql('UPDATE import_error SET timestamp = ?, stacktrace = ? WHERE id = ?').run(now, text, row.id);
        wanted.delete(row.filename);
      }
      const insert = this.sql('INSERT INTO import_error (timestamp, filename, stacktrace) VALUES (?, ?, ?)');
      for (const [file, text] of wanted) insert.run(now, file, text);
    })();
  }

  list(): ImportErrorRow[] {
    return this.sql('SELECT id, timestamp, filename, stacktrace FROM import_error ORDER BY filename').all() as ImportErrorRow[];
  }

  /** Remove the import errors of one file (a deleted DAG's); returns how many went. */
  deleteForFile(filename: string): number {
    return this.sql('DELETE FROM import_error WHERE filename = ?').run(filename).changes;
  }

  get(id: number): ImportErrorRow | undefined {
    return this.sql('SELECT id, timestamp, filename, stacktrace FROM import_error WHERE id = ?').get(id) as ImportErrorRow | undefined;
  }
}
