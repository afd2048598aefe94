// `dag tasks test`: run one task in the foreground with its templates rendered, no dependencies checked and nothing
// recorded in the state database; the attempt log goes to stdout (Airflow's `airflow tasks test`).
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import type { Loaded } from './context.js';
import { UserError, type DagSpec } from '../engine/types.js';
import { failureLine } from './failure-reasons.js';

export async function testTask(l: Loaded, dag: DagSpec, taskId: string, date: string, conf: Record<string, unknown>): Promise<string> {
  const task = dag.tasks.find((t) => t.taskId === taskId);
  if (!task) throw new UserError(`task '${taskId}' not found in DAG '${dag.dagId}': see dag tasks list ${dag.dagId}`);
  const [{ runForDate, runId }, { contextData, templateRunInfo }, { templateContext, renderArgs }, { Executor }, { AttemptLog }, { pluginUrls }, { prepareServices }] =
    await Promise.all([
      import('../engine/schedule/index.js'),
      import('../engine/run/context.js'),
      import('../engine/template/index.js'),
      import('../engine/run/executor.js'),
      import('../engine/run/task-log.js'),
      import('./plugins.js'),
      import('./runner.js'),
    ]);
  const info = runForDate(dag.schedule, dag.timezone, date, 'date');
  const now = new Date().toISOString();
  const run = {
    id: 0, dag_id: dag.dagId, run_id: runId('manual', info.logicalDate), run_type: 'manual' as const, logical_date: info.logicalDate.toISOString(),
    data_interval_start: info.dataInterval.start.toISOString(), data_interval_end: info.dataInterval.end.toISOString(), state: 'running' as const,
    queued_at: now, start_date: now, end_date: null, external_trigger: 1, conf: JSON.stringify(conf), last_scheduling_decision: null, clear_number: 0,
    note: null, updated_at: now, driver_job_id: null, waiting_reason: null, triggered_by: 'test' as const, triggering_user_name: null,
    has_logical_date: 1,
  };
  const ti = { task_id: taskId, try_number: 1, max_tries: task.retries } as Parameters<typeof contextData>[2];
  const data = contextData(dag, run, ti, l.settings.home);
  const xcoms = new Map<string, unknown>();
  const pull = (t: string, key: string | null) => l.store.xcom.pull(dag.dagId, run.run_id, t, key) ?? xcoms.get(`${t}/${key ?? 'return_value'}`);
  const ctx = templateContext(templateRunInfo(dag, run, task, 1, null), {
    pull: (ids, key) => (Array.isArray(ids) ? ids.map((i) => pull(i, key)) : ids ? pull(ids, key) : null),
  }, process.env, (key) => l.store.variables.value(key));

  const op = l.registry.resolve(task.operator)!;
  const args = renderArgs(task.args, ctx, op.templateFields, { dagId: dag.dagId, taskId });
  // The log goes to stdout; its file is kept only when the task fails, for the path the failure line prints.
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'windsock-tasks-test-'));
  const logFile = path.join(logDir, 'attempt=1.log');
  const log = new AttemptLog(logFile, (line) => process.stdout.write(line + '\n'));
  const stopServices = await prepareServices([dag], (m) => process.stderr.write(m + '\n'));
  const executor = new Executor({ plugins: pluginUrls() });
  let keepLog = false;
  try {
    const result = await executor.run({
      operator: op, args, ctx: data, timeoutSec: task.executionTimeoutSec, log,
      xcomPull: pull, xcomPush: (key, value) => void xcoms.set(`${taskId}/${key}`, value),
    }).done;
    if (result.value !== undefined) process.stdout.write(`Returned value (XCom return_value): ${JSON.stringify(result.value)}\n`);
    keepLog = result.outcome === 'failed';
    process.stdout.write(keepLog ? failureLine(taskId, 'failed', result.error, logFile) + '\n' : `Task ${taskId}: ${result.outcome}\n`);
    return result.outcome;
  } finally {
    await log.close();
    if (!keepLog) fs.rmSync(logDir, { recursive: true, force: true });
    await executor.close();
    await stopServices();
  }
}
