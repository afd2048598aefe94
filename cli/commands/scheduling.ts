// `dag trigger`, `dag pause`, `dag unpause`, `dag next-execution`.
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('trigger <dag_id>')
    .description('create a manual run (queued; the scheduler runs it unless the DAG is paused)')
    .option('-c, --conf <json>', 'JSON object for dag_run.conf')
    .option('-e, --logical-date <iso>', 'logical date (default: now)')
    .option('-r, --run-id <id>', 'run id (default: manual__<logical date>)')
    .option('-o, --output <format>', 'table, json, yaml or plain', 'table')
    .action(async (dagId: string, opts: { conf?: string; logicalDate?: string; runId?: string; output: string }) => {
      const [{ loadAll, requireRunnableDag, parseConf }, { printRows, outputFormat }, { triggerDagRun }, { parseRunDate, toAirflowIso }, { requireName }] = await Promise.all([
        import('../context.js'),
        import('../output.js'),
        import('../../engine/service/trigger.js'),
        import('../../engine/schedule/index.js'),
        import('../../engine/dag/names.js'),
      ]);
      const format = outputFormat(opts.output);
      const conf = parseConf(opts.conf);
      const l = await loadAll();
      if (opts.runId !== undefined) requireName('run id', opts.runId, '--run-id');
      const dag = requireRunnableDag(l, dagId);
      const logicalDate = opts.logicalDate !== undefined ? parseRunDate(opts.logicalDate, dag.timezone, '--logical-date') : undefined;
      const r = triggerDagRun(l.store, dag, { conf, logicalDate, logicalDateInput: opts.logicalDate, runId: opts.runId, triggeredBy: 'cli' });
      const iso = (v: string | null) => (v ? toAirflowIso(new Date(v)) : null);
      const row = {
        conf,
        dag_id: r.dag_id,
        dag_run_id: r.run_id,
        data_interval_start: iso(r.data_interval_start),
        data_interval_end: iso(r.data_interval_end),
        external_trigger: true,
        logical_date: iso(r.logical_date),
        run_type: r.run_type,
        state: r.state,
      };
      await printRows([row], format);
      l.store.close();
    });

  for (const [name, paused] of [['pause', true], ['unpause', false]] as const) {
    program
      .command(`${name} <dag_id>`)
      .description(paused ? 'pause a DAG: no new runs, queued runs wait' : 'unpause a DAG')
      .option('-o, --output <format>', 'table, json, yaml or plain', 'table')
      .action(async (dagId: string, opts: { output: string }) => {
        const [{ loadAll, requireDag }, { printRows, outputFormat }] = await Promise.all([import('../context.js'), import('../output.js')]);
        const format = outputFormat(opts.output);
        const l = await loadAll();
        requireDag(l, dagId);
        (await import('../../engine/service/pause.js')).setDagPaused(l.store, dagId, paused);
        await printRows([{ dag_id: dagId, is_paused: paused }], format);
        l.store.close();
      });
  }

  program
    .command('next-execution <dag_id>')
    .description('the next runs the scheduler would create, given the state database')
    .option('-n, --num-executions <n>', 'how many', '1')
    .option('--now <iso>', 'pretend the clock says this (reproducible answers)')
    .option('-o, --output <format>', 'plain lines by default; table, json, yaml or plain')
    .action(async (dagId: string, opts: { numExecutions: string; now?: string; output?: string }) => {
      const [{ loadAll, requireDag }, { nextExecutionRows }, { printRows, outputFormat }] = await Promise.all([
        import('../context.js'),
        import('../next-execution.js'),
        import('../output.js'),
      ]);
      const format = opts.output ? outputFormat(opts.output) : null;
      const l = await loadAll();
      const rows = nextExecutionRows(l, requireDag(l, dagId), opts.numExecutions, opts.now);
      l.store.close();
      if (format) return printRows(rows, format);
      if (!rows.length) {
        process.stderr.write(`[WARN] DAG ${dagId} has no next run: its schedule is none/@once (done) or past its end_date\n`);
        process.stdout.write('None\n');
      }
      for (const r of rows) process.stdout.write(r.logical_date + '\n');
    });
}
