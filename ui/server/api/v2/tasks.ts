// GET /api/v2/dags/{dag_id}/tasks (order_by any scalar field of a task, `-` for descending, as Airflow sorts
// dag.tasks by attribute) and /tasks/{task_id}.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { ApiError } from '../../errors.js';
import { query } from '../../request.js';
import { parsedDag } from './dag-details.js';
import { taskResponse, type TaskResponse } from './shapes/task.js';

const ListQuery = z.object({ order_by: z.string().default('task_id') });

type Scalar = string | number | boolean | null;

/** The fields of a task that hold one string, number or boolean (or null). */
const SORTABLE = [
  'task_id', 'task_display_name', 'owner', 'start_date', 'end_date', 'trigger_rule', 'depends_on_past', 'wait_for_downstream', 'retries',
  'queue', 'pool', 'pool_slots', 'retry_exponential_backoff', 'priority_weight', 'weight_rule', 'doc_md', 'operator_name', 'is_mapped',
] as const satisfies readonly (keyof TaskResponse)[];

/** Tasks sorted on one field (nulls last, task_id breaking ties); 400 for a field that is not a sortable one. */
export function sortTasks(tasks: TaskResponse[], orderBy: string): TaskResponse[] {
  const desc = orderBy.startsWith('-');
  const key = (desc ? orderBy.slice(1) : orderBy) as (typeof SORTABLE)[number];
  if (!SORTABLE.includes(key)) {
    throw new ApiError(400, `Ordering tasks by '${key}' is not supported: use one of ${SORTABLE.join(', ')} (prefix - for descending)`);
  }
  const cmp = (a: Scalar, b: Scalar) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : (a < b ? -1 : 1) * (desc ? -1 : 1));
  return [...tasks].sort((a, b) => cmp(a[key] as Scalar, b[key] as Scalar) || (a.task_id < b.task_id ? -1 : 1));
}

export function taskRoutes(deps: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.get('/dags/:dag_id/tasks', async (c) => {
    const { order_by } = query(c, ListQuery);
    const { spec } = await parsedDag(deps, c.req.param('dag_id'));
    const tasks = sortTasks(spec.tasks.map((t) => taskResponse(t, spec)), order_by);
    return c.json({ tasks, total_entries: tasks.length });
  });

  app.get('/dags/:dag_id/tasks/:task_id', async (c) => {
    const { spec } = await parsedDag(deps, c.req.param('dag_id'));
    const taskId = c.req.param('task_id');
    const task = spec.tasks.find((t) => t.taskId === taskId);
    if (!task) throw new ApiError(404, `Task with id: '${taskId}' not found in DAG '${spec.dagId}'`);
    return c.json(taskResponse(task, spec));
  });

  return app;
}
