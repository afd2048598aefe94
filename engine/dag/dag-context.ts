// What every part of building one DAG shares: its id, where problems go, the operators, the clock and time zone,
// plus the checks that every level (DAG, default_args, group, task) runs the same way.
import type { z } from 'zod';
import { excerpt, kindOf } from './excerpt.js';
import { isDict, keyPos, valuePos, type Dict, type Pos } from './located.js';
import type { OperatorCatalog } from './operator-catalog.js';
import type { Problems } from './problems.js';
import { didYouMean } from './suggest.js';
import { reportIssues } from './zod-problems.js';

export interface DagContext {
  dagId: string;
  problems: Problems;
  catalog: OperatorCatalog;
  /** The DAG's time zone (already validated), for naive dates. */
  timezone: string;
  /** Anchors relative dates ("2 days"). */
  now: Date;
  /** dag-factory `operator_aliases`: short name -> operator path. */
  operatorAliases: ReadonlyMap<string, string>;
}

export function report(ctx: DagContext, pos: Pos | undefined, message: string): void {
  ctx.problems.add(pos, message, ctx.dagId);
}

export type Shape = Readonly<Record<string, z.ZodType>>;

/**
 * Check the keys `obj` has: each against its schema in `shape` (only keys present are checked, which keeps 10,000
 * tasks cheap); keys in `extra` are left to the caller; any other key is reported as unknown, with "did you mean"
 * (`hints` replace that for keys known to be unsupported). `unknown: 'ignore'` leaves other keys to the caller too.
 */
export function checkShape(
  ctx: DagContext,
  obj: Dict,
  shape: Shape,
  opts: { context: string; where: string; extra?: ReadonlySet<string>; unknown?: 'report' | 'ignore'; hints?: Record<string, string> },
): boolean {
  let ok = true;
  for (const key of Object.keys(obj)) {
    const schema = shape[key];
    if (schema) {
      const r = schema.safeParse(obj[key]);
      if (!r.success) {
        ok = false;
        reportIssues(ctx.problems, r.error.issues, obj, opts.context, ctx.dagId, schema, [], [key]);
      }
      continue;
    }
    if (opts.extra?.has(key) || opts.unknown === 'ignore') continue;
    ok = false;
    const hint = opts.hints?.[key] ? `: ${opts.hints[key]}` : didYouMean(key, [...Object.keys(shape), ...(opts.extra ?? [])]);
    report(ctx, keyPos(obj, key), `unknown key '${excerpt(key, 100)}' in ${opts.where}${hint}`);
  }
  return ok;
}

/** Report a setting written under two names at once (e.g. `schedule` and `schedule_interval`). */
export function checkAliases(ctx: DagContext, obj: Dict, groups: readonly (readonly string[])[], where: string): void {
  for (const names of groups) {
    const given = names.filter((n) => obj[n] !== undefined);
    if (given.length > 1) {
      report(ctx, keyPos(obj, given[1]), `${where} sets both '${given[0]}' and '${given[1]}', which mean the same thing: keep only '${names[0]}'`);
    }
  }
}

/** The value of `key` when it is a map; otherwise reports it (if present) and returns null. */
export function dictAt(ctx: DagContext, obj: Dict, key: string, what: string): Dict | null {
  const v = obj[key];
  if (v == null) return null;
  if (isDict(v)) return v;
  report(ctx, valuePos(obj, key), `${what} must be a map of settings, got ${kindOf(v)}`);
  return null;
}
