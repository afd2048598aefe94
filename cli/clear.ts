// `dag tasks clear`: the CLI's face of engine/service/clear.ts: the flags read, the plan printed, a confirmation
// asked (unless -y), then the clear applied.
import readline from 'node:readline/promises';
import type { Loaded } from './context.js';
import { UserError, type DagSpec } from '../engine/types.js';
import { parseRunDate } from '../engine/schedule/run-date.js';
import { applyClear, planClear } from '../engine/service/clear.js';

export interface ClearOptions {
  taskRegex?: string;
  startDate?: string;
  endDate?: string;
  onlyFailed?: boolean;
  yes?: boolean;
}

export async function clearTasks(l: Loaded, dag: DagSpec, o: ClearOptions): Promise<number> {
  let taskRegex: RegExp | undefined;
  try {
    taskRegex = o.taskRegex ? new RegExp(o.taskRegex) : undefined;
  } catch (err) {
    throw new UserError(`-t ${o.taskRegex} is not a regular expression: ${(err as Error).message}`);
  }
  // Dates without an offset are read in the DAG's timezone, as `dag run --date` reads them.
  const bound = (v: string | undefined, flag: string) => (v == null ? undefined : parseRunDate(v, dag.timezone, flag));
  const from = bound(o.startDate, '-s');
  const to = bound(o.endDate, '-e');
  if (from && to && from > to) throw new UserError(`-s ${o.startDate} is after -e ${o.endDate}: swap them`);
  const plan = planClear(l.store, dag, { from, to, taskRegex, onlyFailed: o.onlyFailed });
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
  const n = applyClear(l.store, dag, plan);
  process.stdout.write(`Cleared ${n} task instance(s) in ${plan.length} run(s)\n`);
  return n;
}
