// GET /api/v2/dagSources/{dag_id}: the DAG's file as JSON (DAGSourceResponse) or, with `Accept: text/plain`, as
// text. Airflow reads it from its dag_code table; windsock reads the file the DAG was loaded from, and only a file
// inside the DAGs folder. Windsock keeps no DAG versions, so asking for one is 404.
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { negotiate } from '../../accept.js';
import { ApiError } from '../../errors.js';
import { query } from '../../request.js';
import { dagNotFound } from './dags.js';

const SourceQuery = z.object({ version_number: z.coerce.number().int().optional() });

function insideFolder(file: string, folder: string): boolean {
  const rel = path.relative(path.resolve(folder), path.resolve(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

export function dagSourceRoutes({ store, dagsFolder }: AppDeps): Hono<AuthEnv> {
  return new Hono<AuthEnv>().get('/dagSources/:dag_id', async (c) => {
    const dagId = c.req.param('dag_id');
    const { version_number } = query(c, SourceQuery);
    const answer = negotiate(c.req.header('accept'), 'text/plain');
    const row = store.dags.get(dagId);
    if (!row) throw dagNotFound(dagId);
    if (version_number !== undefined) throw new ApiError(404, `The source code of DAG ${dagId}, version_number ${version_number} was not found: windsock keeps no DAG versions, ask without version_number`);
    const gone = new ApiError(404, `The source code of DAG ${dagId} is not available: its file is no longer in the DAGs folder`);
    if (!row.fileloc || !insideFolder(row.fileloc, dagsFolder)) throw gone;
    let content: string;
    try {
      content = await fsp.readFile(row.fileloc, 'utf8');
    } catch {
      throw gone;
    }
    if (answer === 'other') return c.text(content);
    return c.json({ content, dag_id: dagId, dag_display_name: dagId, version_number: null });
  });
}
