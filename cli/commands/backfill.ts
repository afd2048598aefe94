// `dag backfill <dag_id> --from D1 --to D2`: every run whose logical date is in [D1, D2], regardless of catchup,
// several at once, resumable. Exit 1 if any run failed, with the failed runs listed.
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('backfill <dag_id>')
    .description('run every interval with a logical date in [--from, --to] (inclusive); resumes where it stopped')
    .requiredOption('-s, --from <date>', 'first logical date: YYYY-MM-DD (DAG time zone) or ISO 8601')
    .requiredOption('-e, --to <date>', 'last logical date, inclusive')
    .option('--max-active-runs <n>', 'runs at once (default: the DAG\'s max_active_runs)')
    .option('--rerun-failed', 'run failed runs again (their failed tasks and what depends on them)')
    .option('--dry-run', 'list the runs without running them')
    .option('-c, --conf <json>', 'JSON object for dag_run.conf of new runs')
    .action(async (dagId: string, opts: { from: string; to: string; maxActiveRuns?: string; rerunFailed?: boolean; dryRun?: boolean; conf?: string }) => {
      const [{ loadAll, requireRunnableDag, parseConf }, { backfill }] = await Promise.all([import('../context.js'), import('../backfill.js')]);
      const conf = parseConf(opts.conf);
      const l = await loadAll();
      const failed = await backfill(l, requireRunnableDag(l, dagId), { ...opts, conf });
      l.store.close();
      process.exitCode = failed > 0 ? 1 : 0;
    });
}
