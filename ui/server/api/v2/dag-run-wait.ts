// GET /api/v2/dags/{dag_id}/dagRuns/{run_id}/wait: one NDJSON line with the run's state now and one every
// `interval` seconds until it finishes; the last line carries the `return_value` XComs of the tasks named in
// `result` (Airflow 3's DagRunWaiter, api_fastapi/core_api/services/public/dag_run.py). Reads only.
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import type { Store } from '../../../../engine/state/store.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { qStrings, query } from '../../request.js';
import { requireRun } from './dag-runs.js';

const WaitQuery = z.object({
  interval: z.string().transform(Number).pipe(z.number().gt(0)),
  result: qStrings.optional(),
});

const FINISHED = new Set(['success', 'failed']);

/** One line of the stream: the state, and once finished the requested results. */
export function waitLine(store: Store, dagId: string, runId: string, result: string[] | undefined): { line: string; done: boolean } {
  const run = store.runs.get(dagId, runId);
  // A run deleted while being waited on ends the stream with its last known state unknown.
  if (!run) return { line: JSON.stringify({ state: null }), done: true };
  const done = FINISHED.has(run.state);
  const body: Record<string, unknown> = { state: run.state };
  if (done && result?.length) body.results = Object.fromEntries(result.map((t) => [t, store.xcom.pull(dagId, runId, t) ?? null]));
  return { line: JSON.stringify(body), done };
}

export function dagRunWaitRoutes({ store }: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.get('/dags/:dag_id/dagRuns/:run_id/wait', (c) => {
    const { dag_id, run_id } = c.req.param();
    const q = query(c, WaitQuery);
    requireRun(store, dag_id, run_id);
    c.header('Content-Type', 'application/x-ndjson');
    return stream(c, async (s) => {
      let aborted = false;
      s.onAbort(() => {
        aborted = true;
      });
      for (;;) {
        const { line, done } = waitLine(store, dag_id, run_id, q.result);
        await s.write(line + '\n');
        if (done || aborted) return;
        await s.sleep(q.interval * 1000);
        if (aborted) return;
      }
    });
  });
  return app;
}
