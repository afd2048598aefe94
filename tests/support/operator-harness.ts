// Running one operator outside the engine: a TaskContext for a given DAG, run and data interval, logs kept in an
// array, XComs in a Map, and an AbortController to stop the attempt. Arguments go through `op.args.parse` first,
// as the engine does.
import { DateTime } from 'luxon';
import type { OperatorDefinition, TaskContext, TaskContextData } from '../../engine/operators/api.js';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields?: Record<string, unknown>;
}

export interface HarnessOptions extends Partial<TaskContextData> {
  home: string;
  /** XComs of upstream tasks, keyed "taskId" (return_value) or "taskId:key". */
  upstream?: Record<string, unknown>;
  /** Echo log lines to stderr as they come (for child-process scripts). */
  echo?: boolean;
}

export interface Harness {
  ctx: TaskContext;
  logs: LogLine[];
  /** Everything pushed, keyed "taskId:key" (return_value included once the operator returns). */
  xcom: Map<string, unknown>;
  abort: AbortController;
}

/**
 * The data interval of one local day of a daily DAG in `timezone`, with the context fields derived from it as the
 * engine derives them: logical date = interval start; ds = its UTC date; ds_local = its date in the DAG's zone.
 */
export function dailyInterval(dsLocal: string, timezone = 'Europe/Paris'): Pick<TaskContextData, 'logicalDate' | 'dataIntervalStart' | 'dataIntervalEnd' | 'ds' | 'dsLocal' | 'timezone' | 'runId'> {
  const start = DateTime.fromISO(dsLocal, { zone: timezone });
  if (!start.isValid) throw new Error(`dailyInterval: ${dsLocal} is not a date (YYYY-MM-DD)`);
  const iso = (d: DateTime) => d.toUTC().toISO({ suppressMilliseconds: true })!.replace(/Z$/, '+00:00');
  const logicalDate = iso(start);
  return {
    logicalDate,
    dataIntervalStart: logicalDate,
    dataIntervalEnd: iso(start.plus({ days: 1 })),
    ds: start.toUTC().toISODate()!,
    dsLocal,
    timezone,
    runId: `manual__${logicalDate}`,
  };
}

export function buildContext(opts: HarnessOptions): Harness {
  const logs: LogLine[] = [];
  const xcom = new Map<string, unknown>(Object.entries(opts.upstream ?? {}).map(([k, v]) => [k.includes(':') ? k : `${k}:return_value`, v]));
  const abort = new AbortController();
  const day = dailyInterval(opts.dsLocal ?? '2024-04-20', opts.timezone ?? 'Europe/Paris');
  const data: TaskContextData = {
    dagId: 'test_dag',
    taskId: 'test_task',
    runType: 'manual',
    tryNumber: 1,
    maxTries: 1,
    params: {},
    conf: {},
    ...day,
    ...stripUndefined(opts),
    home: opts.home,
  };
  const log = (level: LogLine['level']) => (msg: string, fields?: Record<string, unknown>) => {
    logs.push({ level, msg, fields });
    if (opts.echo) process.stderr.write(`[${level}] ${msg}\n`);
  };
  const ctx: TaskContext = {
    ...data,
    log: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    signal: abort.signal,
    xcomPull: async (taskId, key = 'return_value') => xcom.get(`${taskId}:${key}`),
    xcomPush: async (key, value) => {
      xcom.set(`${data.taskId}:${key}`, value);
    },
  };
  return { ctx, logs, xcom, abort };
}

export interface OperatorRun<R = unknown> extends Harness {
  result: R;
}

/** Parse `args` with the operator's schema and execute it; rejects with what the operator (or the schema) threw. */
export async function runOperator<R = unknown>(op: OperatorDefinition, args: Record<string, unknown>, opts: HarnessOptions): Promise<OperatorRun<R>> {
  const h = buildContext(opts);
  const parsed = op.args.parse(args);
  const result = (await op.execute(parsed, h.ctx)) as R;
  h.xcom.set(`${h.ctx.taskId}:return_value`, result);
  return { ...h, result };
}

export interface SettledRun<R = unknown> extends Harness {
  result?: R;
  error?: Error;
}

/** Like runOperator, but resolves with the error (and the logs written before it) instead of rejecting. */
export async function settleOperator<R = unknown>(op: OperatorDefinition, args: Record<string, unknown>, opts: HarnessOptions): Promise<SettledRun<R>> {
  const h = buildContext(opts);
  try {
    const result = (await op.execute(op.args.parse(args), h.ctx)) as R;
    h.xcom.set(`${h.ctx.taskId}:return_value`, result);
    return { ...h, result };
  } catch (error) {
    return { ...h, error: error as Error };
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && k !== 'upstream' && k !== 'echo') (out as Record<string, unknown>)[k] = v;
  return out;
}
