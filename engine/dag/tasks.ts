// `tasks:` (a list of {task_id, operator, ...}, or the legacy map keyed by task id) -> task drafts: the TaskSpec
// without its upstream list, plus the raw dependencies for dependencies.ts. What is not a task setting or a
// "system" key (dag-factory's SYSTEM_PARAMS) is an operator argument, validated by the operator's own zod schema.
import type { TaskSpec } from '../types.js';
import { checkAliases, checkShape, report, type DagContext } from './dag-context.js';
import { kindOf } from './excerpt.js';
import { defaultArgsShape, TASK_CALLBACK_KEYS, TASK_SETTING_KEYS, TASK_SYSTEM_KEYS, taskShape } from './file-schema.js';
import { entryOf, isDict, newDict, posOf, setKey, valuePos, type Dict, type Pos } from './located.js';
import { itemsOf } from './merge.js';
import { checkName } from './names.js';
import type { OperatorInfo } from './operator-catalog.js';
import { didYouMean } from './suggest.js';
import { refs, type GroupDraft, type Ref } from './task-groups.js';
import { resolveTaskSettings, SETTING_ALIASES } from './task-settings.js';
import { reportIssues } from './zod-problems.js';

export interface TaskDraft {
  /** task_id as written (what `dependencies:` name). */
  rawId: string;
  spec: TaskSpec;
  group: GroupDraft | null;
  deps: Ref[];
  pos: Pos | undefined;
}

const NOT_ARGS = new Set([...TASK_SYSTEM_KEYS, ...TASK_SETTING_KEYS]);
const DEFAULT_ARG_SET = new Set(Object.keys(defaultArgsShape));
const ARG_SUGGESTIONS = [...TASK_SYSTEM_KEYS, ...TASK_SETTING_KEYS.filter((k) => !TASK_CALLBACK_KEYS.includes(k))];

export interface DagDates {
  start: Date | null;
  end: Date | null;
}

export function readTasks(ctx: DagContext, dag: Dict, groups: Map<string, GroupDraft>, dagDefaultArgs: Dict | null, dates: DagDates): TaskDraft[] {
  const raw = dag.tasks;
  if (raw == null) return [];
  if (!Array.isArray(raw) && !isDict(raw)) {
    report(ctx, valuePos(dag, 'tasks'), `tasks must be a list of {task_id: ..., operator: ...} (or a map keyed by task id)`);
    return [];
  }
  const drafts: TaskDraft[] = [];
  const byRaw = new Set<string>();
  const byFull = new Set<string>();
  itemsOf(raw, 'task_id').forEach((item, i) => {
    if (!isDict(item)) {
      report(ctx, Array.isArray(raw) ? valuePos(raw, i) : valuePos(dag, 'tasks'), `task #${i + 1} must be a map with task_id and operator, got ${kindOf(item)}`);
      return;
    }
    const rawId = item.task_id;
    if (typeof rawId !== 'string') {
      report(ctx, rawId === undefined ? posOf(item) : valuePos(item, 'task_id'), `task #${i + 1} needs a task_id (a string)`);
      return;
    }
    const draft = readTask(ctx, item, rawId, groups, dagDefaultArgs, dates);
    if (byRaw.has(rawId) || byFull.has(draft.spec.taskId)) {
      report(ctx, valuePos(item, 'task_id'), `duplicate task id '${draft.spec.taskId}' in DAG '${ctx.dagId}': task ids must be unique`);
      return;
    }
    byRaw.add(rawId);
    byFull.add(draft.spec.taskId);
    drafts.push(draft);
  });
  return drafts;
}

function readTask(ctx: DagContext, task: Dict, rawId: string, groups: Map<string, GroupDraft>, dagDefaultArgs: Dict | null, dates: DagDates): TaskDraft {
  const label = `task '${rawId}'`;
  const idIssue = checkName('task id', rawId);
  if (idIssue) report(ctx, valuePos(task, 'task_id'), idIssue);
  checkShape(ctx, task, taskShape, { context: `${label}: `, where: label, unknown: 'ignore' });
  checkAliases(ctx, task, SETTING_ALIASES, label);

  let group: GroupDraft | null = null;
  if (typeof task.task_group_name === 'string') {
    group = groups.get(task.task_group_name) ?? null;
    if (!group) {
      report(ctx, valuePos(task, 'task_group_name'), `${label}: task_group_name '${task.task_group_name}' is not a task group of DAG '${ctx.dagId}'${didYouMean(task.task_group_name, groups.keys())}`);
    }
  }
  const layers: Dict[] = [task];
  for (let g = group; g; g = g.parent) if (g.defaultArgs) layers.push(g.defaultArgs);
  if (dagDefaultArgs) layers.push(dagDefaultArgs);

  let info: OperatorInfo | undefined;
  if (task.operator === undefined) {
    report(ctx, posOf(task), `${label} has no operator: add e.g. 'operator: bash' (or BashOperator)`);
  } else if (typeof task.operator === 'string') {
    info = ctx.catalog.resolve(ctx.operatorAliases.get(task.operator) ?? task.operator);
    if (!info) report(ctx, valuePos(task, 'operator'), `${label}: ${ctx.catalog.unknownMessage(task.operator)}`);
  }
  let args: Record<string, unknown> = {};
  if (info) {
    const located = operatorArgs(task, layers, info);
    const r = info.def.args.safeParse(located);
    if (r.success) args = r.data as Record<string, unknown>;
    else reportIssues(ctx.problems, r.error.issues, located, `${label}: `, ctx.dagId, info.def.args, ARG_SUGGESTIONS);
  }
  const settings = resolveTaskSettings(ctx, layers, dates.start, dates.end);
  const taskId = group && group.prefix ? `${group.id}.${rawId}` : rawId;
  if (!idIssue) {
    const fullIssue = checkName('task id', taskId);
    if (fullIssue) report(ctx, valuePos(task, 'task_id'), fullIssue);
  }
  const doc = task.doc_md ?? task.doc;
  return {
    rawId,
    group,
    deps: refs(task),
    pos: posOf(task),
    spec: {
      taskId,
      operator: info?.def.name ?? String(task.operator),
      args,
      upstream: [],
      ...settings,
      group: group?.id ?? null,
      doc: typeof doc === 'string' ? doc : null,
      line: lineOf(posOf(task)),
    },
  };
}

/**
 * The operator's arguments as a located map: the task's own non-setting keys, then keys from default_args (group
 * then DAG) that this operator accepts, as Airflow applies default_args to matching operator parameters.
 */
function operatorArgs(task: Dict, layers: readonly Dict[], info: OperatorInfo): Dict {
  const out = newDict(posOf(task)!);
  const copy = (from: Dict, key: string) => {
    const e = entryOf(from, key);
    const at = posOf(from)!;
    setKey(out, key, from[key], e?.key ?? at, e?.value ?? at);
  };
  for (const key of Object.keys(task)) if (!NOT_ARGS.has(key)) copy(task, key);
  if (info.argKeys) {
    for (const layer of layers.slice(1)) {
      for (const key of Object.keys(layer)) {
        if (info.argKeys.has(key) && !DEFAULT_ARG_SET.has(key) && !Object.prototype.hasOwnProperty.call(out, key)) copy(layer, key);
      }
    }
  }
  return out;
}

function lineOf(pos: Pos | undefined): number | null {
  return pos ? pos.src.linePos(pos.offset).line : null;
}
