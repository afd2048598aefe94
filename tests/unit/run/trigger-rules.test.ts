import { describe, expect, it } from 'vitest';
import { countUpstream, evaluateTriggerRule, type RuleDecision } from '../../../engine/run/trigger-rules.js';
import { TRIGGER_RULES, type TaskState, type TriggerRule } from '../../../engine/types.js';

const decide = (rule: TriggerRule, ...states: TaskState[]): RuleDecision => evaluateTriggerRule(rule, countUpstream(states));
const RUN = { kind: 'run' };
const WAIT = { kind: 'wait' };
const SKIPPED = { kind: 'propagate', state: 'skipped' };
const UPSTREAM_FAILED = { kind: 'propagate', state: 'upstream_failed' };

describe('countUpstream', () => {
  it('counts each finished state and what is done', () => {
    expect(countUpstream(['success', 'skipped', 'failed', 'upstream_failed', 'removed', null, 'running', 'up_for_retry', 'queued'])).toEqual({
      upstream: 9, success: 1, skipped: 1, failed: 1, upstreamFailed: 1, removed: 1, done: 5,
    });
  });
});

describe('evaluateTriggerRule', () => {
  it('runs a task without upstreams whatever its rule', () => {
    for (const rule of TRIGGER_RULES) expect(decide(rule)).toEqual(RUN);
  });

  it('always runs with always, even under failed and unfinished upstreams', () => {
    expect(decide('always', 'failed', null, 'upstream_failed')).toEqual(RUN);
  });

  describe('all_success', () => {
    it('runs when every upstream succeeded, waits otherwise', () => {
      expect(decide('all_success', 'success', 'success')).toEqual(RUN);
      expect(decide('all_success', 'success', 'running')).toEqual(WAIT);
    });
    it('is upstream_failed as soon as one upstream failed or is upstream_failed, without waiting', () => {
      expect(decide('all_success', 'failed', 'running')).toEqual(UPSTREAM_FAILED);
      expect(decide('all_success', 'upstream_failed', null)).toEqual(UPSTREAM_FAILED);
    });
    it('is skipped immediately when one upstream is skipped while another still runs', () => {
      expect(decide('all_success', 'skipped', 'running')).toEqual(SKIPPED);
    });
    it('prefers upstream_failed to skipped', () => {
      expect(decide('all_success', 'skipped', 'failed')).toEqual(UPSTREAM_FAILED);
    });
    it('never passes nor propagates with a removed upstream (the run deadlocks)', () => {
      expect(decide('all_success', 'removed', 'success')).toEqual(WAIT);
    });
  });

  describe('all_failed', () => {
    it('runs when every upstream failed or is upstream_failed', () => {
      expect(decide('all_failed', 'failed', 'upstream_failed')).toEqual(RUN);
      expect(decide('all_failed', 'failed', 'running')).toEqual(WAIT);
    });
    it('is skipped as soon as one upstream succeeded or was skipped', () => {
      expect(decide('all_failed', 'success', 'running')).toEqual(SKIPPED);
      expect(decide('all_failed', 'skipped', null)).toEqual(SKIPPED);
    });
  });

  describe('all_done', () => {
    it('runs once every upstream finished, whatever the outcome', () => {
      expect(decide('all_done', 'failed', 'upstream_failed', 'skipped', 'success', 'removed')).toEqual(RUN);
    });
    it('waits for unfinished upstreams and never propagates', () => {
      expect(decide('all_done', 'failed', 'running')).toEqual(WAIT);
      expect(decide('all_done', 'failed', 'up_for_retry')).toEqual(WAIT);
      expect(decide('all_done', 'skipped', null)).toEqual(WAIT);
    });
  });

  describe('one_success', () => {
    it('runs on the first success without waiting for the others', () => {
      expect(decide('one_success', 'success', 'running', null)).toEqual(RUN);
    });
    it('waits while nothing succeeded and upstreams are unfinished, even after failures', () => {
      expect(decide('one_success', 'failed', 'running')).toEqual(WAIT);
      expect(decide('one_success', 'skipped', 'running')).toEqual(WAIT);
    });
    it('is skipped when every upstream was skipped', () => {
      expect(decide('one_success', 'skipped', 'skipped')).toEqual(SKIPPED);
    });
    it('is upstream_failed when all are done and none succeeded', () => {
      expect(decide('one_success', 'failed', 'skipped')).toEqual(UPSTREAM_FAILED);
      expect(decide('one_success', 'upstream_failed', 'failed')).toEqual(UPSTREAM_FAILED);
    });
  });

  describe('one_failed', () => {
    it('runs on the first failure or upstream_failed without waiting', () => {
      expect(decide('one_failed', 'failed', 'running')).toEqual(RUN);
      expect(decide('one_failed', 'upstream_failed', null)).toEqual(RUN);
    });
    it('waits while upstreams are unfinished and none failed', () => {
      expect(decide('one_failed', 'success', 'running')).toEqual(WAIT);
    });
    it('is skipped when all are done and none failed', () => {
      expect(decide('one_failed', 'success', 'success')).toEqual(SKIPPED);
      expect(decide('one_failed', 'success', 'skipped')).toEqual(SKIPPED);
    });
  });

  describe('one_done', () => {
    it('runs on the first success or failure', () => {
      expect(decide('one_done', 'success', 'running')).toEqual(RUN);
      expect(decide('one_done', 'failed', null)).toEqual(RUN);
    });
    it('does not count skipped or upstream_failed as done-enough', () => {
      expect(decide('one_done', 'skipped', 'running')).toEqual(WAIT);
      expect(decide('one_done', 'upstream_failed', 'running')).toEqual(WAIT);
    });
    it('is skipped when all are done with neither success nor failure', () => {
      expect(decide('one_done', 'skipped', 'upstream_failed')).toEqual(SKIPPED);
    });
  });

  describe('none_failed', () => {
    it('runs when every upstream succeeded or was skipped, even all skipped', () => {
      expect(decide('none_failed', 'success', 'skipped')).toEqual(RUN);
      expect(decide('none_failed', 'skipped', 'skipped')).toEqual(RUN);
      expect(decide('none_failed', 'success', 'running')).toEqual(WAIT);
    });
    it('is upstream_failed as soon as one upstream failed', () => {
      expect(decide('none_failed', 'failed', 'running')).toEqual(UPSTREAM_FAILED);
      expect(decide('none_failed', 'upstream_failed', null)).toEqual(UPSTREAM_FAILED);
    });
  });

  describe('none_failed_min_one_success', () => {
    it('runs with a success and skips around it (the branch join)', () => {
      expect(decide('none_failed_min_one_success', 'success', 'skipped')).toEqual(RUN);
      expect(decide('none_failed_min_one_success', 'skipped', 'running')).toEqual(WAIT);
    });
    it('is skipped when every upstream was skipped', () => {
      expect(decide('none_failed_min_one_success', 'skipped', 'skipped')).toEqual(SKIPPED);
    });
    it('is upstream_failed as soon as one upstream failed', () => {
      expect(decide('none_failed_min_one_success', 'failed', 'running')).toEqual(UPSTREAM_FAILED);
    });
  });

  describe('none_skipped', () => {
    it('runs when all are done and none was skipped, failures included', () => {
      expect(decide('none_skipped', 'success', 'failed', 'upstream_failed')).toEqual(RUN);
      expect(decide('none_skipped', 'success', 'running')).toEqual(WAIT);
    });
    it('is skipped as soon as one upstream was skipped', () => {
      expect(decide('none_skipped', 'skipped', 'running')).toEqual(SKIPPED);
    });
  });

  describe('all_skipped', () => {
    it('runs when every upstream was skipped', () => {
      expect(decide('all_skipped', 'skipped', 'skipped')).toEqual(RUN);
      expect(decide('all_skipped', 'skipped', 'running')).toEqual(WAIT);
    });
    it('is skipped as soon as one upstream succeeded, failed or is upstream_failed', () => {
      expect(decide('all_skipped', 'success', 'running')).toEqual(SKIPPED);
      expect(decide('all_skipped', 'failed', null)).toEqual(SKIPPED);
      expect(decide('all_skipped', 'upstream_failed', null)).toEqual(SKIPPED);
    });
  });

  it('rejects a rule it has no strategy for', () => {
    expect(() => decide('bogus' as TriggerRule, 'success')).toThrow(/No strategy to evaluate trigger rule 'bogus'/);
  });
});

/** Apply the rules pass after pass until nothing changes, as the run loop does. */
function settle(dag: Record<string, { upstream: string[]; rule?: TriggerRule }>, states: Record<string, TaskState>): Record<string, TaskState> {
  const s = { ...states };
  for (let changed = true; changed; ) {
    changed = false;
    for (const [id, t] of Object.entries(dag)) {
      if (s[id] !== null) continue;
      const d = evaluateTriggerRule(t.rule ?? 'all_success', countUpstream(t.upstream.map((u) => s[u])));
      if (d.kind === 'propagate') {
        s[id] = d.state;
        changed = true;
      }
    }
  }
  return s;
}

describe('worked consequences (trigger_rule_dep.py)', () => {
  it('a failed task makes its all_success descendants upstream_failed, pass by pass', () => {
    const dag = { a: { upstream: [] }, b: { upstream: ['a'] }, c: { upstream: ['b'] }, d: { upstream: ['c'] } };
    expect(settle(dag, { a: 'failed', b: null, c: null, d: null })).toEqual({ a: 'failed', b: 'upstream_failed', c: 'upstream_failed', d: 'upstream_failed' });
  });

  it('a branch that skips B skips an all_success join J, and the skip cascades', () => {
    const dag = { branch: { upstream: [] }, b: { upstream: ['branch'] }, c: { upstream: ['branch'] }, j: { upstream: ['b', 'c'] }, after: { upstream: ['j'] } };
    expect(settle(dag, { branch: 'success', b: 'skipped', c: 'running', j: null, after: null })).toMatchObject({ j: 'skipped', after: 'skipped' });
  });

  it('a none_failed_min_one_success join runs when C succeeds and B was skipped', () => {
    expect(decide('none_failed_min_one_success', 'skipped', 'success')).toEqual(RUN);
  });

  it('an all_done cleanup after a failure runs', () => {
    const dag = { a: { upstream: [] }, b: { upstream: ['a'] }, cleanup: { upstream: ['b'], rule: 'all_done' as TriggerRule } };
    const settled = settle(dag, { a: 'failed', b: null, cleanup: null });
    expect(settled).toEqual({ a: 'failed', b: 'upstream_failed', cleanup: null });
    expect(decide('all_done', settled.b)).toEqual(RUN);
  });
});
