// `dag delete <dag_id> --yes`: what DELETE /api/v2/dags/{dag_id} does, from the command line (Airflow's
// `airflow dags delete`), through the same engine service.
import type { Command } from 'commander';
import { UserError } from '../../engine/types.js';

export function register(program: Command): void {
  program
    .command('delete <dag_id>')
    .description("delete a DAG's runs, task instances, XComs and warnings (the file stays: the DAG comes back on the next parse)")
    .option('-y, --yes', 'do not ask: required, since nothing deleted can be recovered')
    .action(async (dagId: string, opts: { yes?: boolean }) => {
      const [{ openStore }, { deleteDag, busyMessage }, { requireName }] = await Promise.all([
        import('../context.js'),
        import('../../engine/service/delete-dag.js'),
        import('../../engine/dag/names.js'),
      ]);
      requireName('DAG id', dagId);
      if (!opts.yes) throw new UserError(`dag delete removes every run, task instance and XCom of DAG '${dagId}' for good: pass --yes to go ahead`);
      const { store } = await openStore();
      try {
        const r = deleteDag(store, dagId);
        if (r.kind === 'not_found') throw new UserError(`DAG '${dagId}' is not in the state database: see \`dag list\``);
        if (r.kind === 'busy') throw new UserError(busyMessage(dagId, r));
        process.stdout.write(`deleted DAG '${dagId}' (${r.rows} rows); its file stays, so it comes back with no history when the DAGs folder is next parsed\n`);
      } finally {
        store.close();
      }
    });
}
