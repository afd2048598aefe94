// GET /api/v2/eventLogs: the audit trail (what the CLI and the API changed, and task attempts), filtered and paged;
// GET /api/v2/eventLogs/{event_log_id}: one entry.
import { Hono } from 'hono';
import { z } from 'zod';
import { Conditions, page } from '../../../../engine/state/page.js';
import type { EventLogRow } from '../../../../engine/state/rows.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { likePattern, orderByQuery, orderBySql, pagingQuery } from '../../paging.js';
import { ApiError } from '../../errors.js';
import { qStrings, query, validate } from '../../request.js';
import { dateRangeQuery } from './ranges.js';
import { eventLogResponse } from './shapes/event-log.js';

const ORDER_COLUMNS: Record<string, string> = {
  id: 'id',
  event_log_id: 'id',
  dttm: 'dttm',
  when: 'dttm',
  dag_id: 'dag_id',
  task_id: 'task_id',
  run_id: 'run_id',
  event: 'event',
  logical_date: 'execution_date',
  owner: 'owner',
  extra: 'extra',
};

const IdPath = z.object({ event_log_id: z.coerce.number().int() });

const instant = dateRangeQuery(['t'] as const).t_gte;

const ListQuery = z.object({
  ...pagingQuery,
  dag_id: z.string().optional(),
  task_id: z.string().optional(),
  run_id: z.string().optional(),
  map_index: z.coerce.number().int().optional(),
  try_number: z.coerce.number().int().optional(),
  owner: z.string().optional(),
  event: z.string().optional(),
  excluded_events: qStrings.optional(),
  included_events: qStrings.optional(),
  before: instant,
  after: instant,
  dag_id_pattern: z.string().optional(),
  task_id_pattern: z.string().optional(),
  run_id_pattern: z.string().optional(),
  owner_pattern: z.string().optional(),
  event_pattern: z.string().optional(),
  order_by: orderByQuery('id'),
});

export function eventLogRoutes({ store }: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.get('/eventLogs', (c) => {
    const q = query(c, ListQuery);
    const where = new Conditions()
      .when(q.dag_id, 'dag_id = ?', (v) => v)
      .when(q.task_id, 'task_id = ?', (v) => v)
      .when(q.run_id, 'run_id = ?', (v) => v)
      .when(q.map_index, 'map_index = ?', (v) => v)
      .when(q.try_number, 'try_number = ?', (v) => v)
      .when(q.owner, 'owner = ?', (v) => v)
      .when(q.event, 'event = ?', (v) => v)
      .in('event', q.included_events)
      .when(q.excluded_events?.length ? q.excluded_events : null, 'event NOT IN (SELECT value FROM json_each(?))', (v) => JSON.stringify(v))
      .when(q.before, 'dttm < ?', (v) => v)
      .when(q.after, 'dttm > ?', (v) => v);
    for (const [key, col] of [['dag_id_pattern', 'dag_id'], ['task_id_pattern', 'task_id'], ['run_id_pattern', 'run_id'], ['owner_pattern', 'owner'], ['event_pattern', 'event']] as const) {
      where.when(likePattern(q[key]), `${col} LIKE ?`, (v) => v);
    }
    const { rows, total } = page<EventLogRow>(store.db, {
      from: 'FROM log',
      where,
      orderBy: orderBySql(q.order_by, ORDER_COLUMNS, 'id'),
      limit: q.limit,
      offset: q.offset,
    });
    return c.json({ event_logs: rows.map(eventLogResponse), total_entries: total });
  });
  app.get('/eventLogs/:event_log_id', (c) => {
    const { event_log_id: id } = validate(IdPath, { event_log_id: c.req.param('event_log_id') }, 'path');
    const row = store.db.prepare('SELECT * FROM log WHERE id = ?').get(id) as EventLogRow | undefined;
    if (!row) throw new ApiError(404, `The Event Log with id: \`${id}\` not found`);
    return c.json(eventLogResponse(row));
  });
  return app;
}
