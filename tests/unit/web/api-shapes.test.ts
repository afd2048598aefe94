// The pure pieces behind API v2's DAG, task and log answers: durations as ISO 8601 and TimeDelta, log lines as
// StructuredLogMessage, `*_pattern` search terms with `|` alternatives, and the content negotiation rule.
import { describe, expect, it } from 'vitest';
import { isoDuration, timeDelta } from '../../../ui/server/api/v2/shapes/durations.js';
import { structuredLine, structuredLines } from '../../../ui/server/api/v2/shapes/log-line.js';
import { likeTerms } from '../../../ui/server/patterns.js';
import { negotiate } from '../../../ui/server/accept.js';

describe('durations', () => {
  it('writes dag_run_timeout as an ISO 8601 duration the spec accepts', () => {
    const cases: [number, string][] = [[0, 'PT0S'], [59, 'PT59S'], [5400, 'PT1H30M'], [86400, 'P1D'], [90061, 'P1DT1H1M1S'], [0.4, 'PT0S'], [1.6, 'PT2S']];
    for (const [sec, iso] of cases) expect(isoDuration(sec), String(sec)).toBe(iso);
    expect(isoDuration(null)).toBeNull();
  });

  it('writes task delays as TimeDelta objects', () => {
    expect(timeDelta(90061.25)).toEqual({ __type: 'TimeDelta', days: 1, seconds: 3661, microseconds: 250000 });
    expect(timeDelta(300)).toEqual({ __type: 'TimeDelta', days: 0, seconds: 300, microseconds: 0 });
    expect(timeDelta(1.5)).toEqual({ __type: 'TimeDelta', days: 0, seconds: 1, microseconds: 500000 });
    expect(timeDelta(null)).toBeNull();
  });
});

describe('log lines', () => {
  it("reads windsock's `[time] {LEVEL} message` lines, and keeps any other line whole", () => {
    expect(structuredLine('[2024-04-20T10:00:00.123Z] {WARN} slow {"page":2}')).toEqual({ timestamp: '2024-04-20T10:00:00.123Z', level: 'warn', event: 'slow {"page":2}' });
    expect(structuredLine('plain output')).toEqual({ event: 'plain output' });
    expect(structuredLine('[not a time] {INFO} x')).toEqual({ event: '[not a time] {INFO} x' });
    expect(structuredLines('a\n\nb\n')).toEqual([{ event: 'a' }, { event: '' }, { event: 'b' }]);
    expect(structuredLines('')).toEqual([]);
  });
});

describe('search patterns', () => {
  it('matches anywhere, splits alternatives on |, and treats ~ or nothing as everything', () => {
    expect(likeTerms('cust_%')).toEqual(['%cust_%%']);
    expect(likeTerms('dag1 | dag2')).toEqual(['%dag1%', '%dag2%']);
    expect(likeTerms('~')).toBeNull();
    expect(likeTerms(' | ')).toBeNull();
    expect(likeTerms(undefined)).toBeNull();
  });
});

describe('content negotiation', () => {
  it('answers JSON for */* or no Accept, then JSON if named, then the other type, else 406', () => {
    expect(negotiate(undefined, 'text/plain')).toBe('json');
    expect(negotiate('*/*', 'text/plain')).toBe('json');
    expect(negotiate('text/plain, application/json', 'text/plain')).toBe('json');
    expect(negotiate('text/plain', 'text/plain')).toBe('other');
    expect(() => negotiate('text/html', 'application/x-ndjson')).toThrow('Only application/json or application/x-ndjson is supported');
  });
});
