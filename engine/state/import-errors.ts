// The `import_error` table: one row per broken DAG file ("Broken DAG: [file] error"), replaced on every parse.
import type { Db } from './db.js';
import { iso, type ImportErrorRow } from './rows.js';
import { formatProblem, type ImportProblem } from '../types.js';

export class ImportErrorRepo {
  constructor(private readonly db: Db) {}

  /**
   * Record the problems of one parse of `files`: rows of files that now parse cleanly (or no longer exist under the
   * folder) are removed, broken files get one row each holding all their problems.
   */
  replace(problems: ImportProblem[], folder: string): void {
    const byFile = new Map<string, ImportProblem[]>();
    for (const p of problems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
    const now = iso();
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM import_error WHERE filename LIKE ? || '%'`).run(folder);
      const insert = this.db.prepare('INSERT INTO import_error (timestamp, filename, stacktrace) VALUES (?, ?, ?)');
      for (const [file, ps] of byFile) insert.run(now, file, ps.map(formatProblem).join('\n'));
    })();
  }

  list(): ImportErrorRow[] {
    return this.db.prepare('SELECT id, timestamp, filename, stacktrace FROM import_error ORDER BY filename').all() as ImportErrorRow[];
  }

  get(id: number): ImportErrorRow | undefined {
    return this.db.prepare('SELECT id, timestamp, filename, stacktrace FROM import_error WHERE id = ?').get(id) as ImportErrorRow | undefined;
  }
}
