// GET /api/v2/jobs: the `job` table (schedulers, `dag run` and `dag backfill` processes) with the spec's filters.
// A job is alive while it is running and its heartbeat is younger than the dead-job threshold.
import { Hono } from 'hono';
import { z } from 'zod';
import { Conditions, page } from '../../../../engine/state/page.js';
import type { JobRow } from '../../../../engine/state/rows.js';
import { engineSettings } from '../../../../engine/settings.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { orderByQuery, orderBySql, pagingQuery } from '../../paging.js';
import { qBool, query } from '../../request.js';
import { applyRanges, dateRangeQuery } from './ranges.js';
import { apiDate } from './shapes/dates.js';

const COLUMNS = ['id', 'dag_id', 'state', 'job_type', 'start_date', 'end_date', 'latest_heartbeat', 'executor_class', 'hostname', 'unixname'];
const ORDER_COLUMNS = Object.fromEntries(COLUMNS.map((c) => [c, c]));

const ListQuery = z.object({
  is_alive: qBool.optional(),
  ...dateRangeQuery(['start_date', 'end_date'] as const),
  ...pagingQuery,
  order_by: orderByQuery('id'),
  job_state: z.string().optional(),
  job_type: z.string().optional(),
  hostname: z.string().optional(),
  executor_class: z.string().optional(),
});

const jobResponse = (j: JobRow) => ({
  id: j.id,
  dag_id: j.dag_id,
  dag_display_name: j.dag_id,
  state: j.state,
  job_type: j.job_type,
  start_date: apiDate(j.start_date),
  end_date: apiDate(j.end_date),
  latest_heartbeat: apiDate(j.latest_heartbeat),
  executor_class: j.executor_class,
  hostname: j.hostname,
  unixname: j.unixname,
});

export function jobRoutes({ store }: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.get('/jobs', (c) => {
    const q = query(c, ListQuery);
    const since = new Date(Date.now() - engineSettings().jobDeadAfterMs).toISOString();
    const where = new Conditions()
      .when(q.job_state, 'state = ?', (v) => v)
      .when(q.job_type, 'job_type = ?', (v) => v)
      .when(q.hostname, 'hostname = ?', (v) => v)
      .when(q.executor_class, 'executor_class = ?', (v) => v)
      .when(q.is_alive, (q.is_alive ? '' : 'NOT ') + "(state = 'running' AND latest_heartbeat >= ?)", () => since);
    applyRanges(where, q, { start_date: 'start_date', end_date: 'end_date' });
    const { rows, total } = page<JobRow>(store.db, { from: 'FROM job', where, orderBy: orderBySql(q.order_by, ORDER_COLUMNS, 'id'), limit: q.limit, offset: q.offset });
    return c.json({ jobs: rows.map(jobResponse), total_entries: total });
  });
  return app;
}
