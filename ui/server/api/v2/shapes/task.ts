// A task of a parsed DAG as Airflow 3.2's TaskResponse. `retry_exponential_backoff` is a number since 3.2 (the
// backoff multiplier, 0 for none; Airflow's `True` is 2). Windsock tasks are never mapped and have no extra links.
import type { DagSpec, TaskSpec } from '../../../../../engine/types.js';
import { apiDate } from './dates.js';
import { timeDelta } from './durations.js';

export function taskResponse(task: TaskSpec, dag: DagSpec) {
  return {
    task_id: task.taskId,
    task_display_name: task.taskId,
    owner: task.owner,
    start_date: apiDate(task.startDate?.toISOString()),
    end_date: apiDate(task.endDate?.toISOString()),
    trigger_rule: task.triggerRule,
    depends_on_past: task.dependsOnPast,
    wait_for_downstream: false,
    retries: task.retries,
    queue: 'default',
    pool: task.pool,
    pool_slots: task.poolSlots,
    execution_timeout: timeDelta(task.executionTimeoutSec),
    retry_delay: timeDelta(task.retryDelaySec),
    retry_exponential_backoff: task.retryExponentialBackoff ? 2 : 0,
    priority_weight: task.priorityWeight,
    weight_rule: task.weightRule,
    ui_color: null,
    ui_fgcolor: null,
    template_fields: null,
    downstream_task_ids: dag.tasks.filter((t) => t.upstream.includes(task.taskId)).map((t) => t.taskId),
    doc_md: task.doc,
    operator_name: task.operator,
    params: null,
    class_ref: null,
    is_mapped: false,
    extra_links: [] as string[],
  };
}

export type TaskResponse = ReturnType<typeof taskResponse>;
