// `dag tasks ...`: list, states-for-dag-run, test, clear (Airflow's `airflow tasks ...`).
import type { Command } from 'commander';

export function register(program: Command): void {
  const tasks = program.command('tasks').description('inspect, test and clear tasks');

  tasks
    .command('list <dag_id>')
    .description('the task ids of a DAG, sorted (--tree: as a tree from the roots)')
    .option('-t, --tree', 'show the dependency tree')
    .option('-o, --output <format>', 'table, json, yaml or plain (without --tree)', 'plain')
    .action(async (dagId: string, opts: { tree?: boolean; output: string }) => {
      const [{ loadAll, requireDag }, { printRows, outputFormat }] = await Promise.all([import('../context.js'), import('../output.js')]);
      const format = outputFormat(opts.output);
      const l = await loadAll();
      const dag = requireDag(l, dagId);
      if (!opts.tree) {
        const rows = [...dag.tasks].sort((a, b) => a.taskId.localeCompare(b.taskId)).map((t) => ({ task_id: t.taskId, operator: t.operator, upstream: t.upstream.join(', ') }));
        if (format === 'plain') for (const r of rows) process.stdout.write(r.task_id + '\n');
        else await printRows(rows, format);
      } else {
        const down = new Map<string, string[]>();
        for (const t of dag.tasks) for (const u of t.upstream) down.set(u, [...(down.get(u) ?? []), t.taskId]);
        const walk = (id: string, depth: number) => {
          const t = dag.tasks.find((x) => x.taskId === id)!;
          process.stdout.write(`${'    '.repeat(depth)}<Task(${t.operator}): ${id}>\n`);
          for (const d of down.get(id) ?? []) walk(d, depth + 1);
        };
        for (const t of dag.tasks.filter((x) => x.upstream.length === 0)) walk(t.taskId, 0);
      }
      l.store.close();
    });

  tasks
    .command('states-for-dag-run <dag_id> <run_id_or_date>')
    .description('the state of every task instance of a run (a run id, or a logical date)')
    .option('-o, --output <format>', 'table, json, yaml or plain', 'table')
    .action(async (dagId: string, ref: string, opts: { output: string }) => {
      const [{ openStore }, { printRows, outputFormat }, { findRun }] = await Promise.all([import('../context.js'), import('../output.js'), import('../find-run.js')]);
      const format = outputFormat(opts.output);
      const { store } = await openStore();
      const run = findRun(store, dagId, ref);
      const rows = store.tis.forRun(dagId, run.run_id).map((t) => ({
        dag_id: t.dag_id,
        execution_date: run.logical_date,
        task_id: t.task_id,
        state: t.state,
        start_date: t.start_date ?? '',
        end_date: t.end_date ?? '',
        try_number: t.try_number,
      }));
      await printRows(rows, format);
      store.close();
    });

  tasks
    .command('test <dag_id> <task_id> <date>')
    .description('run one task for a logical date without dependencies and without recording state; log to stdout')
    .option('-c, --conf <json>', 'JSON object for dag_run.conf')
    .action(async (dagId: string, taskId: string, date: string, opts: { conf?: string }) => {
      const [{ loadAll, requireRunnableDag, parseConf }, { testTask }, { requireName }] = await Promise.all([
        import('../context.js'),
        import('../task-test.js'),
        import('../../engine/dag/names.js'),
      ]);
      requireName('task id', taskId);
      const conf = parseConf(opts.conf);
      const l = await loadAll();
      const state = await testTask(l, requireRunnableDag(l, dagId), taskId, date, conf);
      l.store.close();
      process.exitCode = state === 'failed' ? 1 : 0;
    });

  tasks
    .command('clear <dag_id>')
    .description('clear task instances so they run again (and their runs go back to queued)')
    .option('-t, --task-regex <regex>', 'only tasks whose id matches')
    .option('-s, --start-date <date>', 'only runs with a logical date on or after this (YYYY-MM-DD or ISO)')
    .option('-e, --end-date <date>', 'only runs with a logical date on or before this')
    .option('-f, --only-failed', 'only failed and upstream_failed task instances')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (dagId: string, opts: { taskRegex?: string; startDate?: string; endDate?: string; onlyFailed?: boolean; yes?: boolean }) => {
      const [{ loadAll, requireDag }, { clearTasks }] = await Promise.all([import('../context.js'), import('../clear.js')]);
      const l = await loadAll();
      await clearTasks(l, requireDag(l, dagId), opts);
      l.store.close();
    });
}
