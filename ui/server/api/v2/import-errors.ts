// GET /api/v2/importErrors: the DAG files that failed to load, with their problems; .../{import_error_id}: one.
import { Hono } from 'hono';
import { z } from 'zod';
import { Conditions, page } from '../../../../engine/state/page.js';
import type { ImportErrorRow } from '../../../../engine/state/rows.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { likePattern, orderByQuery, orderBySql, pagingQuery } from '../../paging.js';
import { ApiError } from '../../errors.js';
import { query, validate } from '../../request.js';
import { importErrorResponse } from './shapes/import-error.js';

const ORDER_COLUMNS: Record<string, string> = {
  id: 'id',
  import_error_id: 'id',
  timestamp: 'timestamp',
  filename: 'filename',
  stacktrace: 'stacktrace',
  bundle_name: "'dags-folder'",
};

const IdPath = z.object({ import_error_id: z.coerce.number().int() });

const ListQuery = z.object({ ...pagingQuery, filename_pattern: z.string().optional(), order_by: orderByQuery('id') });

export function importErrorRoutes({ store, dagsFolder }: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.get('/importErrors', (c) => {
    const q = query(c, ListQuery);
    const where = new Conditions().when(likePattern(q.filename_pattern), 'filename LIKE ?', (v) => v);
    const { rows, total } = page<ImportErrorRow>(store.db, {
      from: 'FROM import_error',
      select: 'id, timestamp, filename, stacktrace',
      where,
      orderBy: orderBySql(q.order_by, ORDER_COLUMNS, 'id'),
      limit: q.limit,
      offset: q.offset,
    });
    return c.json({ import_errors: rows.map((r) => importErrorResponse(r, dagsFolder)), total_entries: total });
  });
  app.get('/importErrors/:import_error_id', (c) => {
    const { import_error_id: id } = validate(IdPath, { import_error_id: c.req.param('import_error_id') }, 'path');
    const row = store.db.prepare('SELECT id, timestamp, filename, stacktrace FROM import_error WHERE id = ?').get(id) as ImportErrorRow | undefined;
    if (!row) throw new ApiError(404, `The ImportError with import_error_id: \`${id}\` was not found`);
    return c.json(importErrorResponse(row, dagsFolder));
  });
  return app;
}
