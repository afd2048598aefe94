// GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{try_number}: one attempt's log as
// JSON ({content, continuation_token}) or, with `Accept: application/x-ndjson`, one JSON line per log line and the
// token in the Airflow-Continuation-Token header (Airflow's routes/public/log.py). A read gives what follows the
// token's offset, up to MAX_CHUNK_BYTES unless full_content; the token is there until the attempt is over and read.
import { Hono } from 'hono';
import { z } from 'zod';
import { readTaskLog, type LogKey } from '../../../../engine/service/task-logs.js';
import type { AuthEnv } from '../../auth/middleware.js';
import { loadJwtSecret } from '../../auth/secret.js';
import type { AppDeps } from '../../deps.js';
import { negotiate } from '../../accept.js';
import { ApiError } from '../../errors.js';
import { qBool, query, validate } from '../../request.js';
import { LogTokens } from './log-token.js';
import { structuredLines } from './shapes/log-line.js';

export const MAX_CHUNK_BYTES = 4 * 1024 * 1024;

const TryNumber = z.object({ try_number: z.coerce.number().int().min(0) });
const LogQuery = z.object({
  full_content: qBool.default(false),
  map_index: z.coerce.number().int().default(-1),
  token: z.string().optional(),
});

export function logRoutes({ store, home, web }: AppDeps): Hono<AuthEnv> {
  const tokens = new LogTokens(loadJwtSecret(home, web.secretKey));
  return new Hono<AuthEnv>().get('/dags/:dag_id/dagRuns/:run_id/taskInstances/:task_id/logs/:try_number', async (c) => {
    const { try_number } = validate(TryNumber, { try_number: c.req.param('try_number') }, 'path');
    const q = query(c, LogQuery);
    const answer = negotiate(c.req.header('accept'), 'application/x-ndjson');
    const key: LogKey = { dagId: c.req.param('dag_id'), runId: c.req.param('run_id'), taskId: c.req.param('task_id'), mapIndex: q.map_index, tryNumber: try_number };
    const offset = q.token ? tokens.offset(q.token, key) : 0;
    const read = await readTaskLog(store, home, key, { offset, maxBytes: q.full_content ? Number.MAX_SAFE_INTEGER : MAX_CHUNK_BYTES });
    if (read.kind === 'no_task') throw new ApiError(404, 'TaskInstance not found');
    if (read.kind === 'no_try') throw new ApiError(404, `Try ${try_number} of this task instance does not exist: it has ${read.tries} tr${read.tries === 1 ? 'y' : 'ies'} (numbered from 1)`);
    if (read.kind === 'no_file') throw new ApiError(404, `The log of try ${try_number} of this task instance is not on disk`);
    const content = structuredLines(read.text);
    const next = read.endOfLog ? null : tokens.issue(key, read.nextOffset);
    if (answer === 'other') {
      if (next) c.header('Airflow-Continuation-Token', next);
      c.header('content-type', 'application/x-ndjson');
      return c.body(content.map((l) => JSON.stringify(l) + '\n').join(''));
    }
    return c.json({ content, continuation_token: next });
  });
}
