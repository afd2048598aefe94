// GET /api/v2/dagTags: the distinct tags of every DAG, filtered by tag_name_pattern, ordered by name, paged.
import { Hono } from 'hono';
import { z } from 'zod';
import { Conditions, page } from '../../../../engine/state/page.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { orderByQuery, orderBySql, pagingQuery } from '../../paging.js';
import { wherePattern } from '../../patterns.js';
import { query } from '../../request.js';

const TagsQuery = z.object({ ...pagingQuery, order_by: orderByQuery('name'), tag_name_pattern: z.string().optional() });

export function dagTagRoutes({ store }: AppDeps): Hono<AuthEnv> {
  return new Hono<AuthEnv>().get('/dagTags', (c) => {
    const q = query(c, TagsQuery);
    const { rows, total } = page<{ name: string }>(store.db, {
      from: 'FROM (SELECT DISTINCT t.value AS name FROM dag, json_each(dag.tags) t)',
      select: 'name',
      where: wherePattern(new Conditions(), 'name', q.tag_name_pattern),
      orderBy: orderBySql(q.order_by, { name: 'name' }, 'name'),
      limit: q.limit,
      offset: q.offset,
    });
    return c.json({ tags: rows.map((r) => r.name), total_entries: total });
  });
}
