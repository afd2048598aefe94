// `dag tasks clear`: task instances back to none with a fresh set of retries; their runs back to queued.
import readline from 'node:readline/promises';
import type { Loaded } from './context.js';
import { UserError, type DagSpec } from '../engine/types.js';
import { parseRunDate } from '../engine/schedule/run-date.js';

export interface ClearOptions {
  taskRegex?: string;
  startDate?: string;
  endDate?: string;
  onlyFailed?: boolean;
  yes?: boolean;
}

export async function clearTasks(l: Loaded, dag: DagSpec, o: ClearOptions): Promise<number> {
  let re: RegExp | undefined;
  try {
    re = o.taskRegex ? new RegExp(o.taskRegex) : undefined;
  } catch (err) {
    throw new UserError(`-t ${o.taskRegex} is not a regular expression: ${(err as Error).message}`);
  }
  // Dates without an offset are read in the DAG's timezone, as `dag run --date` reads them.
  const bound = (v: string | undefined, flag: string) => (v == null ? undefined : parseRunDate(v, dag.timezone, flag).toISOString());
  const from = bound(o.startDate, '-s');
  const to = bound(o.endDate, '-e');
  if (from && to && from > to) throw new UserError(`-s ${o.startDate} is after -e ${o.endDate}: swap them`);
  const runs = l.store.runs.list({ dagId: dag.dagId }).filter((r) => (!from || r.logical_date >= from) && (!to || r.logical_date <= to));
  const plan = runs
    .map((r) => ({
      run: r,
      tis: l.store.tis.forRun(dag.dagId, r.run_id).filter((t) => (!re || re.test(t.task_id)) && (!o.onlyFailed || t.state === 'failed' || t.state === 'upstream_failed')),
    }))
    .filter((p) => p.tis.length);
  if (!plan.length) {
    process.stdout.write('No task instances to clear\n');
    return 0;
  }
  for (const p of plan) for (const t of p.tis) process.stdout.write(`<TaskInstance: ${dag.dagId}.${t.task_id} ${p.run.run_id} [${t.state ?? 'none'}]>\n`);
  if (!o.yes) {
    if (!process.stdin.isTTY) throw new UserError('refusing to clear without confirmation: pass -y');
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question('You are about to clear these task instances. Are you sure? [y/n] ');
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      process.stdout.write('Cancelled, nothing was cleared.\n');
      return 0;
    }
  }
  const retries = (id: string) => dag.tasks.find((t) => t.taskId === id)?.retries ?? 0;
  let n = 0;
  l.store.tx(() => {
    for (const p of plan) {
      n += l.store.runs.clear(dag.dagId, p.run.run_id, retries, p.tis.map((t) => t.task_id));
      l.store.events.add({ event: 'clear', dagId: dag.dagId, runId: p.run.run_id, executionDate: p.run.logical_date, extra: { tasks: p.tis.map((t) => t.task_id) } });
    }
  });
  process.stdout.write(`Cleared ${n} task instance(s) in ${plan.length} run(s)\n`);
  return n;
}
