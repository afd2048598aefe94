// `dependencies:` -> edges between tasks, with dag-factory / Airflow TaskGroup semantics:
//   - a task depending on a group depends on the group's leaves (its tasks with nothing downstream inside it);
//   - a group's own `dependencies` make the group's roots (nothing upstream inside it) depend on them.
// A group's roots and leaves depend only on the edges inside it, which only involve groups nested in it, so they
// are computed innermost first, with no fixed point to chase.
import { report, type DagContext } from './dag-context.js';
import type { Pos } from './located.js';
import { didYouMean } from './suggest.js';
import type { GroupDraft, Ref } from './task-groups.js';
import type { TaskDraft } from './tasks.js';

export interface Edge {
  from: TaskDraft;
  to: TaskDraft;
  /** The `dependencies:` entry that made it. */
  pos: Pos | undefined;
}

type Target = { task: TaskDraft } | { group: GroupDraft };

function inGroup(t: TaskDraft, g: GroupDraft): boolean {
  for (let cur = t.group; cur; cur = cur.parent) if (cur === g) return true;
  return false;
}

/** Whether `inner` is nested (strictly) inside `outer`. */
function nested(inner: GroupDraft, outer: GroupDraft): boolean {
  for (let cur = inner.parent; cur; cur = cur.parent) if (cur === outer) return true;
  return false;
}

/** Every edge of the DAG; problems (unknown names, a group depending on itself) are reported. */
export function resolveDependencies(ctx: DagContext, tasks: readonly TaskDraft[], groups: ReadonlyMap<string, GroupDraft>): Edge[] {
  const byRaw = new Map<string, TaskDraft>();
  const byFull = new Map<string, TaskDraft>();
  for (const t of tasks) {
    byRaw.set(t.rawId, t);
    byFull.set(t.spec.taskId, t);
  }
  const groupById = new Map<string, GroupDraft>();
  for (const g of groups.values()) groupById.set(g.id, g);
  const names = [...byRaw.keys(), ...groups.keys()];

  const resolve = (ref: string): Target | null => {
    const t = byRaw.get(ref) ?? byFull.get(ref);
    if (t) return { task: t };
    const g = groups.get(ref) ?? groupById.get(ref);
    return g ? { group: g } : null;
  };
  const missing = (who: string, d: Ref) =>
    report(ctx, d.pos, `${who} depends on '${d.ref}', which is not a task or group of DAG '${ctx.dagId}'${didYouMean(d.ref, names)}`);

  const memo = new Map<GroupDraft | null, Edge[]>();
  const member = (scope: GroupDraft | null, t: TaskDraft) => scope === null || inGroup(t, scope);
  const inside = (scope: GroupDraft | null, g: GroupDraft) => scope === null || nested(g, scope);

  const ends = (g: GroupDraft, which: 'roots' | 'leaves'): TaskDraft[] => {
    const internal = edgesWithin(g);
    const linked = new Set(internal.map((e) => (which === 'leaves' ? e.from : e.to)));
    return tasks.filter((t) => inGroup(t, g) && !linked.has(t));
  };

  // Edges whose two ends are both in `scope` (null: the whole DAG, where problems are reported).
  function edgesWithin(scope: GroupDraft | null): Edge[] {
    const hit = memo.get(scope);
    if (hit) return hit;
    const speak = scope === null;
    const out: Edge[] = [];
    for (const v of tasks) {
      if (!member(scope, v)) continue;
      for (const d of v.deps) {
        const r = resolve(d.ref);
        if (!r) {
          if (speak) missing(`task '${v.rawId}'`, d);
        } else if ('task' in r) {
          if (member(scope, r.task)) out.push({ from: r.task, to: v, pos: d.pos });
        } else if (inGroup(v, r.group)) {
          if (speak) report(ctx, d.pos, `task '${v.rawId}' depends on its own task group '${r.group.name}': depend on tasks of the group instead`);
        } else if (inside(scope, r.group)) {
          for (const u of ends(r.group, 'leaves')) out.push({ from: u, to: v, pos: d.pos });
        }
      }
    }
    for (const h of groupById.values()) {
      if (!inside(scope, h) || h === scope) continue;
      for (const d of h.deps) {
        const r = resolve(d.ref);
        if (!r) {
          if (speak) missing(`task group '${h.name}'`, d);
        } else if ('task' in r) {
          if (inGroup(r.task, h)) {
            if (speak) report(ctx, d.pos, `task group '${h.name}' depends on its own task '${r.task.rawId}': a group can only follow tasks outside it`);
          } else if (member(scope, r.task)) for (const w of ends(h, 'roots')) out.push({ from: r.task, to: w, pos: d.pos });
        } else if (r.group === h || nested(h, r.group) || nested(r.group, h)) {
          if (speak) report(ctx, d.pos, `task group '${h.name}' depends on task group '${r.group.name}', which ${r.group === h ? 'is itself' : nested(h, r.group) ? 'contains it' : 'is inside it'}: a group can only follow tasks and groups outside it`);
        } else if (inside(scope, r.group)) {
          const roots = ends(h, 'roots');
          for (const u of ends(r.group, 'leaves')) for (const w of roots) out.push({ from: u, to: w, pos: d.pos });
        }
      }
    }
    memo.set(scope, out);
    return out;
  }

  return edgesWithin(null);
}
