// An `import_error` row as Airflow 3's ImportErrorResponse: the file relative to the bundle (the DAGs folder).
import path from 'node:path';
import type { ImportErrorRow } from '../../../../../engine/state/rows.js';
import { apiDate } from './dates.js';
import { BUNDLE_NAME } from './dag.js';

export function importErrorResponse(row: ImportErrorRow, dagsFolder: string) {
  const relative = path.relative(dagsFolder, row.filename);
  return {
    import_error_id: row.id,
    timestamp: apiDate(row.timestamp)!,
    filename: relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : row.filename,
    bundle_name: BUNDLE_NAME,
    stack_trace: row.stacktrace,
  };
}
