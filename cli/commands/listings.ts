// Listings: `dag list`, `dag list-runs`, `dag list-import-errors`, each with -o table|json|yaml|plain.
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('list')
    .description('list the DAGs in the DAGs folder')
    .option('-o, --output <format>', 'table, json, yaml or plain', 'table')
    .action(async (opts: { output: string }) => {
      const [{ loadCatalog }, { printRows, outputFormat }] = await Promise.all([import('../context.js'), import('../output.js')]);
      const format = outputFormat(opts.output);
      const l = await loadCatalog();
      const rows = l.store.dags.list().map((d) => ({
        dag_id: d.dag_id,
        fileloc: d.fileloc,
        owners: d.owners,
        is_paused: d.is_paused === 1,
        schedule: d.schedule_interval,
        tags: JSON.parse(d.tags) as string[],
      }));
      await printRows(rows, format);
      if (l.store.importErrors.list().length) process.stderr.write('Error: Failed to load all files. For details, run `dag list-import-errors`\n');
      l.store.close();
    });

  program
    .command('list-runs <dag_id>')
    .description('list the runs of a DAG, newest first')
    .option('--state <state>', 'only runs in this state: queued, running, success or failed')
    .option('-o, --output <format>', 'table, json, yaml or plain', 'table')
    .action(async (dagId: string, opts: { state?: string; output: string }) => {
      const [{ openStore }, { printRows, outputFormat }, { DAG_RUN_STATES, UserError }, { requireName }] = await Promise.all([
        import('../context.js'),
        import('../output.js'),
        import('../../engine/types.js'),
        import('../../engine/dag/names.js'),
      ]);
      requireName('DAG id', dagId);
      const format = outputFormat(opts.output);
      if (opts.state && !(DAG_RUN_STATES as readonly string[]).includes(opts.state)) {
        throw new UserError(`--state ${opts.state} is not a DAG run state: use one of ${DAG_RUN_STATES.join(', ')}`);
      }
      const { store } = await openStore();
      if (!store.dags.get(dagId) && !store.runs.list({ dagId, limit: 1 }).length) {
        throw new UserError(`DAG '${dagId}' has no runs and is not known: check the id with dag list`);
      }
      const rows = store.runs.list({ dagId, state: opts.state as never }).map((r) => ({
        dag_id: r.dag_id,
        run_id: r.run_id,
        state: r.state,
        run_type: r.run_type,
        execution_date: r.logical_date,
        start_date: r.start_date ?? '',
        end_date: r.end_date ?? '',
        note: r.waiting_reason ?? '', // why a queued run has not started
      }));
      await printRows(rows, format);
      store.close();
    });

  program
    .command('list-import-errors')
    .description('list the DAG files that failed to load (exit 1 if any), then DAG warnings on stderr')
    .option('-o, --output <format>', 'table, json, yaml or plain', 'table')
    .action(async (opts: { output: string }) => {
      const [{ loadCatalog }, { printRows, outputFormat }, { formatDagWarning }] = await Promise.all([
        import('../context.js'),
        import('../output.js'),
        import('../dag-warnings.js'),
      ]);
      const format = outputFormat(opts.output);
      const l = await loadCatalog();
      const rows = l.store.importErrors.list().map((e) => ({ filepath: e.filename, error: e.stacktrace }));
      await printRows(rows, format);
      // DAGs that load but cannot run as written: on stderr, so the listing stays Airflow's; they do not set exit 1
      for (const w of l.store.dagWarnings.list()) process.stderr.write(formatDagWarning(w) + '\n');
      l.store.close();
      if (rows.length) process.exitCode = 1;
    });
}
