// A workspace for admin page tests, filled in-process: the DAG files parsed and recorded as `dag` would, runs created
// and moved through their states with the engine's own store calls (the change feed sees them as it sees the
// scheduler's), and the web app started over it with the parsed files. One per test file.
import type { DagSpec, TaskState } from '../../engine/types.js';
import { Store } from '../../engine/state/store.js';
import { createRun } from '../../engine/run/prepare-run.js';
import { syncDagFolder } from './dag-folder.js';
import type { DagRunRow } from '../../engine/state/rows.js';
import { workspace, type Workspace } from './cli.js';
import { startWebApp, type WebApp } from './web.js';

export interface UiFixture {
  ws: Workspace;
  web: WebApp;
  specs: Map<string, DagSpec>;
  /** A manual run of `dagId` at `logicalDate` (its task instances with no state yet). */
  run(dagId: string, logicalDate: string, conf?: Record<string, unknown>): DagRunRow;
  /** Move a task instance on, as the run loop does: queued, running (a new try), then a final state. */
  ti(dagId: string, runId: string, taskId: string, state: Exclude<TaskState, null>): void;
  runState(dagId: string, runId: string, state: DagRunRow['state']): void;
  close(): Promise<void>;
}

export async function uiFixture(files: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<UiFixture> {
  const ws = workspace(files);
  const store = Store.open(ws.home);
  const { dags } = await syncDagFolder(store, ws.dags);
  const specs = new Map(dags.map((d) => [d.dagId, d]));
  const web = await startWebApp(ws, { WINDSOCK_WEB_LOGIN_RATE: '1000', ...env }, { dagBag: { get: async (id) => specs.get(id), all: async () => [...specs.values()] } });
  return {
    ws,
    web,
    specs,
    run(dagId, logicalDate, conf = {}) {
      const d = new Date(logicalDate);
      return createRun(store, specs.get(dagId)!, { runId: `manual__${d.toISOString()}`, logicalDate: d, dataIntervalStart: d, dataIntervalEnd: d }, 'manual', conf, true);
    },
    ti(dagId, runId, taskId, state) {
      const k = { dagId, runId, taskId };
      store.tx(() => {
        if (state === 'queued') store.tis.queue(k, null);
        else if (state === 'running') store.tis.start(k, { hostname: 'test', pid: process.pid, jobId: null });
        else store.tis.finish(k, state);
      });
    },
    runState(dagId, runId, state) {
      store.tx(() => store.runs.setState(dagId, runId, state));
    },
    async close() {
      await web.close();
      store.close();
    },
  };
}
