// Running one attempt of an operator in the current thread: the shared part of the inline path and the worker thread.
import { FailTask, SkipTask, type OperatorDefinition, type TaskContext } from '../operators/api.js';

export interface AttemptOutcome {
  outcome: 'success' | 'skipped' | 'failed';
  /** Fail without using the remaining retries (FailTask). */
  noRetry?: boolean;
  /** The operator's return value (the XCom), when it succeeded. */
  value?: unknown;
  /** One line for the summary; the full error is in the attempt log. */
  error?: string;
}

export async function executeOperator(op: OperatorDefinition, args: Record<string, unknown>, ctx: TaskContext): Promise<AttemptOutcome> {
  try {
    const value = await op.execute(args, ctx);
    return { outcome: 'success', value: value === undefined ? undefined : toJsonValue(value) };
  } catch (err) {
    if (err instanceof SkipTask || (err as Error)?.name === 'SkipTask') {
      ctx.log.info(`Task skipped: ${(err as Error).message}`);
      return { outcome: 'skipped' };
    }
    const e = err instanceof Error ? err : new Error(String(err));
    ctx.log.error(`Task failed: ${e.message}`);
    if (e.stack && !(err instanceof FailTask)) ctx.log.error(e.stack);
    return { outcome: 'failed', error: e.message, noRetry: err instanceof FailTask || e.name === 'FailTask' };
  }
}

/** XComs are JSON (Airflow's default serialisation): dates become ISO strings, functions vanish. */
function toJsonValue(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v) ?? 'null');
}
