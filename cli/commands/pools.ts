// `dag pools list|set|delete`: slot pools shared by every DAG (default_pool has 128 slots from the start).
import type { Command } from 'commander';

export function register(program: Command): void {
  const pools = program.command('pools').description('list, set and delete slot pools');
  pools
    .command('list')
    .option('-o, --output <format>', 'table, json, yaml or plain', 'table')
    .action(async (opts: { output: string }) => {
      const [{ openStore }, { printRows, outputFormat }] = await Promise.all([import('../context.js'), import('../output.js')]);
      const format = outputFormat(opts.output);
      const { store } = await openStore();
      await printRows(store.pools.list().map((p) => ({ pool: p.pool, slots: p.slots, running: p.running_slots, queued: p.queued_slots, open: p.open_slots, description: p.description ?? '' })), format);
      store.close();
    });
  pools
    .command('set <name> <slots>')
    .option('--description <text>', 'what the pool is for')
    .action(async (name: string, slots: string, opts: { description?: string }) => {
      const [{ openStore }, { wholeFlag }, { requireName }, { setPool }] = await Promise.all([
        import('../context.js'), import('../flags.js'), import('../../engine/dag/names.js'), import('../../engine/service/pools.js'),
      ]);
      requireName('pool', name);
      const n = wholeFlag('SLOTS', slots, { min: 0, example: 4, hint: `e.g. dag pools set ${name} 4` });
      const opened = await openStore();
      setPool(opened.store, name, n, opts.description);
      process.stdout.write(`Pool ${name}: ${n} slots\n`);
      await refreshDagWarnings(opened, name);
    });
  pools.command('delete <name>').action(async (name: string) => {
    const [{ openStore }, { requireName }, { deletePool }] = await Promise.all([import('../context.js'), import('../../engine/dag/names.js'), import('../../engine/service/pools.js')]);
    requireName('pool', name);
    const opened = await openStore();
    deletePool(opened.store, name);
    process.stdout.write(`Pool ${name} deleted\n`);
    await refreshDagWarnings(opened, name);
  });
}

/** After a pool changed: the DAG warnings again (parsing the DAGs folder), and those naming the pool said. */
async function refreshDagWarnings(opened: Awaited<ReturnType<typeof import('../context.js').openStore>>, pool: string): Promise<void> {
  const [{ loadAll }, { formatDagWarning }] = await Promise.all([import('../context.js'), import('../dag-warnings.js')]);
  const l = await loadAll(opened);
  for (const w of l.store.dagWarnings.list()) if (w.message.includes(`'${pool}'`)) process.stderr.write(formatDagWarning(w) + '\n');
  l.store.close();
}
