// GET /api/v2/dagWarnings: the dag_warning table, filtered by DAG and type, ordered and paged. The table stores
// Airflow 2's type name 'nonexistent pool'; Airflow 3's API names it 'non-existent pool' (DagWarningType).
import { Hono } from 'hono';
import { z } from 'zod';
import { Conditions, page } from '../../../../engine/state/page.js';
import { NONEXISTENT_POOL, type DagWarningRow } from '../../../../engine/state/dag-warnings.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { orderByQuery, orderBySql, pagingQuery } from '../../paging.js';
import { query } from '../../request.js';
import { apiDate } from './shapes/dates.js';

const API_TYPES = { [NONEXISTENT_POOL]: 'non-existent pool' } as Record<string, string>;
const STORED_TYPES = Object.fromEntries(Object.entries(API_TYPES).map(([k, v]) => [v, k]));

const ORDER_COLUMNS = { dag_id: 'dag_id', warning_type: 'warning_type', message: 'message', timestamp: 'timestamp' };

const WarningsQuery = z.object({
  ...pagingQuery,
  dag_id: z.string().optional(),
  warning_type: z.enum(['asset conflict', 'non-existent pool', 'runtime varying value']).optional(),
  order_by: orderByQuery('dag_id'),
});

export function dagWarningRoutes({ store }: AppDeps): Hono<AuthEnv> {
  return new Hono<AuthEnv>().get('/dagWarnings', (c) => {
    const q = query(c, WarningsQuery);
    const where = new Conditions()
      .when(q.dag_id, 'dag_id = ?', (v) => v)
      .when(q.warning_type, 'warning_type = ?', (v) => STORED_TYPES[v] ?? v);
    const { rows, total } = page<DagWarningRow>(store.db, {
      from: 'FROM dag_warning',
      select: 'dag_id, warning_type, message, timestamp',
      where,
      orderBy: orderBySql(q.order_by, ORDER_COLUMNS, 'dag_id'),
      limit: q.limit,
      offset: q.offset,
    });
    const dagWarnings = rows.map((r) => ({
      dag_id: r.dag_id,
      dag_display_name: r.dag_id,
      warning_type: API_TYPES[r.warning_type] ?? r.warning_type,
      message: r.message,
      timestamp: apiDate(r.timestamp)!,
    }));
    return c.json({ dag_warnings: dagWarnings, total_entries: total });
  });
}
