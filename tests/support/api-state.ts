// State for API tests, made in-process by the engine's own code: the DAGs folder parsed and recorded as the CLI does
// (cli/context.ts loadAll), runs created as the scheduler creates them, attempts started and finished through the
// task-instance repo with their log written by the engine's AttemptLog.
import { engineSettings } from '../../engine/settings.js';
import type { Store } from '../../engine/state/store.js';
import type { DagRunRow } from '../../engine/state/rows.js';
import type { TaskState } from '../../engine/types.js';
import { createRun } from '../../engine/run/prepare-run.js';
import { AttemptLog } from '../../engine/run/task-log.js';
import { loadAll, type Loaded } from '../../cli/context.js';
import type { Workspace } from './cli.js';
import { assertSpec } from './openapi.js';
import type { WebApp } from './web.js';

export function loadWorkspace(ws: Workspace, store: Store): Promise<Loaded> {
  return loadAll({ settings: engineSettings(ws.env), store });
}

export function manualRun(l: Loaded, dagId: string, runId: string, logicalDate: string): DagRunRow {
  const d = new Date(logicalDate);
  return createRun(l.store, l.dags.get(dagId)!, { runId, logicalDate: d, dataIntervalStart: d, dataIntervalEnd: d }, 'manual', {}, true);
}

/** Start the next attempt of a task (running, try + 1) and open its log; returns the log and the try number. */
export function startAttempt(store: Store, home: string, k: { dagId: string; runId: string; taskId: string }): { log: AttemptLog; tryNumber: number } {
  const row = store.tis.start(k, { hostname: 'test-host', pid: process.pid, jobId: null });
  return { log: AttemptLog.forAttempt(home, { ...k, tryNumber: row.try_number }), tryNumber: row.try_number };
}

export async function finishAttempt(store: Store, k: { dagId: string; runId: string; taskId: string }, log: AttemptLog, state: Exclude<TaskState, null>): Promise<void> {
  await log.close();
  store.tis.finish(k, state);
}

/** A request whose answer is checked against the v2 spec (a documented status, a body of its schema). */
export async function specReq(web: WebApp, method: string, url: string, template: string, o: Parameters<WebApp['req']>[2] = {}) {
  const r = await web.req(method, url, o);
  assertSpec(template, method, r.status, r.body);
  return r;
}
