// `task_groups:` (list of {group_name, ...}, or the legacy map keyed by name) -> group drafts with their full ids.
// A nested group's id is prefixed with its parent's ("outer.inner"), as Airflow's TaskGroup does unless
// prefix_group_id is false.
import { checkAliases, checkShape, dictAt, report, type DagContext } from './dag-context.js';
import { defaultArgsShape, groupShape } from './file-schema.js';
import { isDict, keyPos, posOf, valuePos, type Dict, type Pos } from './located.js';
import { itemsOf } from './merge.js';
import { checkName } from './names.js';
import { didYouMean } from './suggest.js';
import { SETTING_ALIASES } from './task-settings.js';

export interface Ref {
  ref: string;
  pos: Pos | undefined;
}

export interface GroupDraft {
  name: string;
  /** Full id: parent ids joined with '.'. */
  id: string;
  parent: GroupDraft | null;
  deps: Ref[];
  defaultArgs: Dict | null;
  prefix: boolean;
  pos: Pos | undefined;
}

const GROUP_NESTED: ReadonlySet<string> = new Set(['default_args']);

/** Reads and checks the groups of a DAG; problems are reported, bad groups left out. */
export function readGroups(ctx: DagContext, dag: Dict): Map<string, GroupDraft> {
  const groups = new Map<string, GroupDraft>();
  const raw = dag.task_groups;
  if (raw == null) return groups;
  if (!Array.isArray(raw) && !isDict(raw)) {
    report(ctx, valuePos(dag, 'task_groups'), `task_groups must be a list of {group_name: ..., ...} (or a map keyed by group name)`);
    return groups;
  }
  const parents = new Map<GroupDraft, { name: string; pos: Pos | undefined }>();
  itemsOf(raw, 'group_name').forEach((item, i) => {
    if (!isDict(item)) {
      report(ctx, Array.isArray(raw) ? valuePos(raw, i) : valuePos(dag, 'task_groups'), `task_groups[${i}] must be a map with a group_name`);
      return;
    }
    const name = item.group_name;
    if (typeof name !== 'string') {
      report(ctx, name === undefined ? posOf(item) : valuePos(item, 'group_name'), `task group #${i + 1} needs a group_name (a string)`);
      return;
    }
    const label = `task group '${name}'`;
    const nameIssue = checkName('task group name', name);
    if (nameIssue) report(ctx, valuePos(item, 'group_name'), nameIssue);
    const ok = checkShape(ctx, item, groupShape, { context: `${label}: `, where: label, extra: GROUP_NESTED });
    const defaultArgs = dictAt(ctx, item, 'default_args', `${label}: default_args`);
    if (defaultArgs) {
      const where = `default_args of ${label}`;
      checkShape(ctx, defaultArgs, defaultArgsShape, { context: `${label}: default_args.`, where, extra: ctx.catalog.allArgKeys });
      checkAliases(ctx, defaultArgs, SETTING_ALIASES, where);
    }
    if (groups.has(name)) {
      report(ctx, valuePos(item, 'group_name'), `duplicate task group '${name}' in DAG '${ctx.dagId}': group names must be unique`);
      return;
    }
    const g: GroupDraft = {
      name,
      id: name,
      parent: null,
      deps: ok ? refs(item) : [],
      defaultArgs,
      prefix: item.prefix_group_id !== false,
      pos: posOf(item),
    };
    groups.set(name, g);
    if (typeof item.parent_group_name === 'string') parents.set(g, { name: item.parent_group_name, pos: valuePos(item, 'parent_group_name') });
  });
  for (const [g, p] of parents) {
    const parent = groups.get(p.name);
    if (!parent) report(ctx, p.pos, `${groupLabel(g)}: parent_group_name '${p.name}' is not a task group of DAG '${ctx.dagId}'${didYouMean(p.name, groups.keys())}`);
    else g.parent = parent;
  }
  for (const g of groups.values()) {
    const chain = ancestry(g);
    if (!chain) {
      report(ctx, parents.get(g)?.pos, `${groupLabel(g)} is its own ancestor through parent_group_name: groups must nest like a tree`);
      g.parent = null;
    }
  }
  for (const g of groups.values()) g.id = groupId(g);
  return groups;
}

function groupLabel(g: GroupDraft): string {
  return `task group '${g.name}'`;
}

/** The groups from `g` up to the top, or null when the parents loop. */
export function ancestry(g: GroupDraft): GroupDraft[] | null {
  const out: GroupDraft[] = [];
  for (let cur: GroupDraft | null = g; cur; cur = cur.parent) {
    if (out.includes(cur)) return null;
    out.push(cur);
  }
  return out;
}

function groupId(g: GroupDraft): string {
  if (!g.parent) return g.name;
  const parentId = groupId(g.parent);
  return g.parent.prefix ? `${parentId}.${g.name}` : g.name;
}

/** The `dependencies:` entries of a task or group (strings, already type-checked). */
export function refs(item: Dict): Ref[] {
  const deps = item.dependencies;
  if (!Array.isArray(deps)) return [];
  return deps.map((ref, i) => ({ ref: String(ref), pos: valuePos(deps, i) ?? keyPos(item, 'dependencies') }));
}
