// One DAG's settings (the `default:` block already merged in) -> a validated DagSpec, or null with every problem
// reported. Defaults are Airflow 2's: catchup true, 16 active runs and tasks, schedule timedelta(days=1), UTC.
import type { DagSpec } from '../types.js';
import { checkAliases, checkShape, dictAt, report, type DagContext } from './dag-context.js';
import { isKnownZone } from '../schedule/zone.js';
import { resolveDependencies, type Edge } from './dependencies.js';
import { durationSeconds } from './durations.js';
import { excerpt, kindOf } from './excerpt.js';
import { DAG_NESTED_KEYS, dagShape, defaultArgsShape, ScheduleValue, TASK_SETTING_KEYS } from './file-schema.js';
import { findCycle } from './graph.js';
import { isDict, valuePos, type Dict, type Pos } from './located.js';
import { checkName } from './names.js';
import type { OperatorCatalog } from './operator-catalog.js';
import type { Problems } from './problems.js';
import { decodeSchedule, DEFAULT_SCHEDULE } from './schedule.js';
import { closest } from './suggest.js';
import { readGroups } from './task-groups.js';
import { dateSetting, SETTING_ALIASES } from './task-settings.js';
import { readTasks } from './tasks.js';

export interface BuildEnv {
  problems: Problems;
  catalog: OperatorCatalog;
  now: Date;
}

const NO_ALIASES: ReadonlyMap<string, string> = new Map();
const DAG_ALIASES = [
  ['schedule', 'schedule_interval'],
  ['max_active_tasks', 'concurrency'],
  ['dagrun_timeout', 'dagrun_timeout_sec'],
] as const;
const DAG_HINTS: Record<string, string> = {
  ...Object.fromEntries(TASK_SETTING_KEYS.map((k) => [k, 'a task setting: put it under default_args (or on each task)'])),
  dag_id: 'the DAG id is the key this block sits under',
  template_searchpath: 'not supported: windsock templates are inline strings',
  user_defined_macros: 'not supported: windsock templates have a fixed set of macros',
  user_defined_filters: 'not supported: windsock templates have a fixed set of filters',
};

export function buildDag(dagId: string, config: unknown, idPos: Pos | undefined, env: BuildEnv): DagSpec | null {
  const { problems } = env;
  const before = problems.size;
  const ctx: DagContext = { dagId, problems, catalog: env.catalog, timezone: 'UTC', now: env.now, operatorAliases: NO_ALIASES };
  const label = `DAG '${excerpt(dagId, 100)}'`;
  const idIssue = checkName('DAG id', dagId);
  if (idIssue) report(ctx, idPos, idIssue);
  if (!isDict(config)) {
    report(ctx, idPos, `${label} must be a map of settings (schedule, default_args, tasks, ...), got ${kindOf(config)}`);
    return null;
  }
  checkShape(ctx, config, dagShape, { context: `${label}: `, where: label, extra: DAG_NESTED_KEYS, hints: DAG_HINTS });
  checkAliases(ctx, config, DAG_ALIASES, label);
  if (Array.isArray(config.operator_aliases)) {
    const aliases = new Map<string, string>();
    for (const a of config.operator_aliases) if (isDict(a) && typeof a.operator_alias === 'string' && typeof a.operator_path === 'string') aliases.set(a.operator_alias, a.operator_path);
    ctx.operatorAliases = aliases;
  }
  const defaultArgs = dictAt(ctx, config, 'default_args', `${label}: default_args`);
  if (defaultArgs) {
    const where = `default_args of ${label}`;
    checkShape(ctx, defaultArgs, defaultArgsShape, { context: `${label}: default_args.`, where, extra: ctx.catalog.allArgKeys });
    checkAliases(ctx, defaultArgs, SETTING_ALIASES, where);
  }

  const schedKey = config.schedule !== undefined ? 'schedule' : 'schedule_interval';
  const schedRaw = config[schedKey];
  let schedule = DEFAULT_SCHEDULE;
  let timetableZone: string | undefined;
  if (schedRaw !== undefined && ScheduleValue.safeParse(schedRaw).success) {
    const decoded = decodeSchedule(schedRaw);
    if ('error' in decoded) report(ctx, valuePos(config, schedKey), `${label}: ${decoded.error}`);
    else {
      schedule = decoded.spec;
      timetableZone = decoded.timezone;
    }
  }

  ctx.timezone = timezoneOf(ctx, config, defaultArgs, timetableZone);
  const dagLayers = defaultArgs ? [config, defaultArgs] : [config];
  const startDate = dateSetting(ctx, dagLayers, 'start_date');
  const endDate = dateSetting(ctx, dagLayers, 'end_date');
  if (startDate && endDate && endDate < startDate) report(ctx, valuePos(config.end_date !== undefined ? config : defaultArgs, 'end_date'), `${label}: end_date is before start_date`);

  const groups = readGroups(ctx, config);
  const drafts = readTasks(ctx, config, groups, defaultArgs, { start: startDate, end: endDate });
  const edges = resolveDependencies(ctx, drafts, groups);
  for (const e of edges) if (!e.to.spec.upstream.includes(e.from.spec.taskId)) e.to.spec.upstream.push(e.from.spec.taskId);
  const tasks = drafts.map((d) => d.spec);
  reportCycle(ctx, tasks, edges);
  if (problems.size > before) return null;

  const owners = [...new Set(tasks.map((t) => t.owner))];
  return {
    dagId,
    fileloc: '',
    description: (config.description as string | null | undefined) ?? null,
    schedule,
    timezone: ctx.timezone,
    startDate,
    endDate,
    catchup: (config.catchup as boolean | undefined) ?? true,
    maxActiveRuns: (config.max_active_runs as number | undefined) ?? 16,
    maxActiveTasks: ((config.max_active_tasks ?? config.concurrency) as number | undefined) ?? 16,
    dagrunTimeoutSec: durationOrNull(config.dagrun_timeout ?? config.dagrun_timeout_sec),
    // copies: values merged from a `default:` block are shared between the DAGs of a file
    tags: [...((config.tags as string[] | undefined) ?? [])],
    params: config.params ? structuredClone(config.params as Record<string, unknown>) : {},
    docMd: (config.doc_md as string | null | undefined) ?? null,
    owner: owners.length ? owners.join(', ') : ((defaultArgs?.owner as string | undefined) ?? 'airflow'),
    tasks,
    line: idPos ? idPos.src.linePos(idPos.offset).line : null,
  };
}

function durationOrNull(v: unknown): number | null {
  return v == null ? null : durationSeconds(v);
}

/** The DAG's `timezone`, else default_args.timezone, else the timetable's, else UTC; a bad one is reported. */
function timezoneOf(ctx: DagContext, config: Dict, defaultArgs: Dict | null, timetableZone: string | undefined): string {
  const owner = typeof config.timezone === 'string' ? config : typeof defaultArgs?.timezone === 'string' ? defaultArgs : null;
  const name = owner ? (owner.timezone as string) : timetableZone;
  if (name === undefined) return 'UTC';
  if (!isKnownZone(name)) {
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    const close = closest(name, zones, 1);
    const where = owner ? valuePos(owner, 'timezone') : valuePos(config[config.schedule !== undefined ? 'schedule' : 'schedule_interval'], 'timezone');
    report(ctx, where, `unknown time zone '${excerpt(name)}'${close.length ? ` (did you mean '${close[0]}'?)` : ''}: use an IANA name such as Europe/Paris or UTC`);
    return 'UTC';
  }
  if (owner && timetableZone && timetableZone !== name) {
    report(ctx, valuePos(config, config.schedule !== undefined ? 'schedule' : 'schedule_interval'),
      `the schedule's timezone '${timetableZone}' differs from the DAG's '${name}': windsock reads cron in the DAG's time zone, so set only one`);
  }
  return name;
}

function reportCycle(ctx: DagContext, tasks: readonly { taskId: string; upstream: readonly string[] }[], edges: readonly Edge[]): void {
  if (!edges.length) return;
  const cycle = findCycle(tasks);
  if (!cycle) return;
  const [from, to] = [cycle[cycle.length - 2], cycle[cycle.length - 1]];
  const closing = edges.find((e) => e.from.spec.taskId === from && e.to.spec.taskId === to);
  const message = cycle.length === 2
    ? `task '${from}' depends on itself in DAG '${ctx.dagId}': remove it from its own dependencies`
    : `cycle: ${cycle.join(' -> ')} in DAG '${ctx.dagId}': a task cannot run after itself; remove one of these dependencies`;
  report(ctx, closing?.pos, message);
}
