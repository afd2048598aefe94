// Trigger rules, exactly as Airflow's TriggerRuleDep evaluates them (airflow/ti_deps/deps/trigger_rule_dep.py): counts over the direct upstream
// task instances, then Step A (propagate upstream_failed / skipped, eagerly) and Step B (may the task run now?).
// The run loop applies this repeatedly until nothing changes, because propagation cascades pass by pass.
import { FINISHED_STATES, type TaskState, type TriggerRule } from '../types.js';

export interface UpstreamCounts {
  /** Number of direct upstream task instances. */
  upstream: number;
  success: number;
  skipped: number;
  failed: number;
  upstreamFailed: number;
  removed: number;
  /** Upstream task instances in a finished state (success, failed, skipped, upstream_failed, removed). */
  done: number;
}

export type RuleDecision = { kind: 'run' } | { kind: 'wait' } | { kind: 'propagate'; state: 'skipped' | 'upstream_failed' };

/** Count the states of the direct upstream task instances (`null` is Airflow's `none`). */
export function countUpstream(states: TaskState[]): UpstreamCounts {
  const c: UpstreamCounts = { upstream: states.length, success: 0, skipped: 0, failed: 0, upstreamFailed: 0, removed: 0, done: 0 };
  for (const s of states) {
    if (s === 'success') c.success++;
    else if (s === 'skipped') c.skipped++;
    else if (s === 'failed') c.failed++;
    else if (s === 'upstream_failed') c.upstreamFailed++;
    else if (s === 'removed') c.removed++;
    if (FINISHED_STATES.has(s)) c.done++;
  }
  return c;
}

const RUN: RuleDecision = { kind: 'run' };
const WAIT: RuleDecision = { kind: 'wait' };
const SKIP: RuleDecision = { kind: 'propagate', state: 'skipped' };
const UPSTREAM_FAILED: RuleDecision = { kind: 'propagate', state: 'upstream_failed' };

/** What the trigger rule says for a task whose direct upstreams are counted in `c`. */
export function evaluateTriggerRule(rule: TriggerRule, c: UpstreamCounts): RuleDecision {
  if (c.upstream === 0 || rule === 'always') return RUN;
  return propagation(rule, c) ?? (passes(rule, c) ? RUN : WAIT);
}

/** Step A: the state to set right away, or null. Several rules fire without waiting for the other upstreams. */
function propagation(rule: TriggerRule, c: UpstreamCounts): RuleDecision | null {
  const upstreamDone = c.done >= c.upstream;
  switch (rule) {
    case 'all_success':
      if (c.upstreamFailed || c.failed) return UPSTREAM_FAILED;
      if (c.skipped) return SKIP;
      return null;
    case 'all_failed':
      return c.success || c.skipped ? SKIP : null;
    case 'one_success':
      if (upstreamDone && c.done === c.skipped) return SKIP;
      if (upstreamDone && c.success <= 0) return UPSTREAM_FAILED;
      return null;
    case 'one_failed':
      return upstreamDone && !(c.failed || c.upstreamFailed) ? SKIP : null;
    case 'one_done':
      return upstreamDone && !(c.failed || c.success) ? SKIP : null;
    case 'none_failed':
      return c.upstreamFailed || c.failed ? UPSTREAM_FAILED : null;
    case 'none_failed_min_one_success':
      if (c.upstreamFailed || c.failed) return UPSTREAM_FAILED;
      if (c.skipped === c.upstream) return SKIP;
      return null;
    case 'none_skipped':
      return c.skipped ? SKIP : null;
    case 'all_skipped':
      return c.success || c.failed || c.upstreamFailed ? SKIP : null;
    case 'all_done':
    case 'always':
      return null;
    default:
      return unknownRule(rule);
  }
}

/** Step B: may the task run now? */
function passes(rule: TriggerRule, c: UpstreamCounts): boolean {
  switch (rule) {
    case 'all_success':
      return c.upstream - c.success === 0;
    case 'all_failed':
      return c.upstream - c.failed - c.upstreamFailed === 0;
    case 'all_done':
      return c.done >= c.upstream;
    case 'one_success':
      return c.success > 0;
    case 'one_failed':
      return c.failed + c.upstreamFailed > 0;
    case 'one_done':
      return c.success + c.failed > 0;
    case 'none_failed':
    case 'none_failed_min_one_success':
      return c.upstream - c.success - c.skipped === 0;
    case 'none_skipped':
      return c.done >= c.upstream && c.skipped === 0;
    case 'all_skipped':
      return c.upstream - c.skipped === 0;
    case 'always':
      return true;
    default:
      return unknownRule(rule);
  }
}

function unknownRule(rule: never): never {
  throw new Error(`No strategy to evaluate trigger rule '${String(rule)}'`);
}
