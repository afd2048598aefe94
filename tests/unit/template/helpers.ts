// A template context for tests, and a one-string render.
import { renderArgs, templateContext, type TemplateRunInfo, type XcomReader } from '../../../engine/template/index.js';

/** A scheduled daily run of 2024-01-01 (the example of Airflow's templates-ref docs) in UTC. */
export function dailyRun(over: Partial<TemplateRunInfo> = {}): TemplateRunInfo {
  return {
    dagId: 'openaq',
    runId: 'scheduled__2024-01-01T00:00:00+00:00',
    runType: 'scheduled',
    logicalDate: new Date('2024-01-01T00:00:00Z'),
    dataIntervalStart: new Date('2024-01-01T00:00:00Z'),
    dataIntervalEnd: new Date('2024-01-02T00:00:00Z'),
    timezone: 'UTC',
    conf: {},
    params: {},
    prevDataIntervalStartSuccess: null,
    prevDataIntervalEndSuccess: null,
    tryNumber: 1,
    taskId: 'extract',
    ...over,
  };
}

/** XComs of the run: task id -> key -> value. Records every pull. */
export function xcoms(values: Record<string, Record<string, unknown>> = {}): XcomReader & { calls: Array<[unknown, unknown]> } {
  const calls: Array<[unknown, unknown]> = [];
  const one = (t: string, key: string | null) => (key === null ? Object.values(values[t] ?? {})[0] : values[t]?.[key]) ?? null;
  return {
    calls,
    pull(taskIds, key) {
      calls.push([taskIds, key]);
      if (taskIds === undefined) return null;
      return Array.isArray(taskIds) ? taskIds.map((t) => one(t, key)) : one(taskIds, key);
    },
  };
}

export function render(source: string, ctx: Record<string, unknown>): string {
  return renderArgs({ arg: source }, ctx, undefined, { dagId: 'openaq', taskId: 'extract' }).arg as string;
}

export function renderWith(source: string, over: Partial<TemplateRunInfo> = {}, env: NodeJS.ProcessEnv = {}, xcom = xcoms()): string {
  return render(source, templateContext(dailyRun(over), xcom, env));
}
