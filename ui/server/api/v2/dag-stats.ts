// GET /api/v2/dagStats: per DAG with runs, how many runs are in each state, every state listed (Airflow's
// get_dag_stats, routes/public/dag_stats.py: DAGs without runs are left out).
import { Hono } from 'hono';
import { z } from 'zod';
import { DAG_RUN_STATES } from '../../../../engine/types.js';
import { Conditions } from '../../../../engine/state/page.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { qStrings, query } from '../../request.js';

const StatsQuery = z.object({ dag_ids: qStrings.optional() });

export function dagStatRoutes({ store }: AppDeps): Hono<AuthEnv> {
  return new Hono<AuthEnv>().get('/dagStats', (c) => {
    const { dag_ids } = query(c, StatsQuery);
    const where = new Conditions().in('r.dag_id', dag_ids);
    const rows = store.db
      .prepare(`SELECT r.dag_id, r.state, count(*) AS n FROM dag_run r JOIN dag ON dag.dag_id = r.dag_id ${where.sql()} GROUP BY r.dag_id, r.state ORDER BY r.dag_id`)
      .all(...where.params) as { dag_id: string; state: string; n: number }[];
    const counts = new Map<string, Map<string, number>>();
    for (const r of rows) {
      if (!counts.has(r.dag_id)) counts.set(r.dag_id, new Map());
      counts.get(r.dag_id)!.set(r.state, r.n);
    }
    const dags = [...counts].map(([dagId, byState]) => ({
      dag_id: dagId,
      dag_display_name: dagId,
      stats: DAG_RUN_STATES.map((state) => ({ state, count: byState.get(state) ?? 0 })),
    }));
    return c.json({ dags, total_entries: dags.length });
  });
}
