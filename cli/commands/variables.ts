// `dag variables list|get|set|delete|import|export`: Airflow Variables in the state database (Airflow's
// `airflow variables ...`), through the engine's variable service, the one /api/v2/variables uses.
import type { Command } from 'commander';
import { UserError } from '../../engine/types.js';

async function withStore<T>(fn: (store: import('../../engine/state/store.js').Store, svc: typeof import('../../engine/service/variables.js')) => T | Promise<T>): Promise<T> {
  const [{ openStore }, svc] = await Promise.all([import('../context.js'), import('../../engine/service/variables.js')]);
  const { store } = await openStore();
  try {
    return await fn(store, svc);
  } finally {
    store.close();
  }
}

function parseJsonArg(raw: string, what: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new UserError(`${what} is not valid JSON (${(err as Error).message}): quote it as JSON, e.g. '{"a": 1}' or '"text"'`);
  }
}

export function register(program: Command): void {
  const vars = program.command('variables').description('list, get, set, delete, import and export Airflow Variables ({{ var.value.KEY }})');

  vars
    .command('list')
    .option('-o, --output <format>', 'table, json, yaml or plain', 'table')
    .action(async (opts: { output: string }) => {
      const { printRows, outputFormat } = await import('../output.js');
      const format = outputFormat(opts.output);
      const rows = await withStore((store) => store.variables.list().map((v) => ({ key: v.key, description: v.description ?? '' })));
      await printRows(rows, format);
    });

  vars
    .command('get <key>')
    .option('-d, --default <value>', 'print this when the variable does not exist')
    .option('-j, --json', 'print the value as pretty JSON')
    .action(async (key: string, opts: { default?: string; json?: boolean }) => {
      const text = await withStore((store) => store.variables.value(key));
      if (text === undefined) {
        if (opts.default === undefined) throw new UserError(`Variable ${key} does not exist`, 'see dag variables list, or pass --default VALUE');
        process.stdout.write(opts.default + '\n');
        return;
      }
      process.stdout.write((opts.json ? JSON.stringify(parseJsonArg(text, `the value of ${key}`), null, 2) : text) + '\n');
    });

  vars
    .command('set <key> <value>')
    .option('--description <text>', 'what the variable is for')
    .option('-j, --json', 'VALUE is JSON: stored as JSON (read with {{ var.json.KEY }})')
    .action(async (key: string, value: string, opts: { description?: string; json?: boolean }) => {
      const parsed = opts.json ? parseJsonArg(value, 'VALUE') : value;
      await withStore((store, svc) => svc.setVariable(store, { key, value: parsed, description: opts.description }));
      process.stdout.write(`Variable ${key} created\n`);
    });

  vars.command('delete <key>').action(async (key: string) => {
    await withStore((store, svc) => svc.deleteVariable(store, key));
    process.stdout.write(`Variable ${key} deleted\n`);
  });

  vars
    .command('import <file>')
    .description('set the variables of a JSON file {"key": value, ...}')
    .option('-a, --action-on-existing-key <action>', 'overwrite, fail or skip', 'overwrite')
    .action(async (file: string, opts: { actionOnExistingKey: string }) => {
      const fs = await import('node:fs');
      const action = opts.actionOnExistingKey;
      if (!['overwrite', 'fail', 'skip'].includes(action)) throw new UserError(`--action-on-existing-key ${action} is not one of overwrite, fail, skip`);
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (err) {
        throw new UserError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code}): check the path`);
      }
      const entries = parseJsonArg(text, file);
      if (!entries || typeof entries !== 'object' || Array.isArray(entries)) throw new UserError(`${file} must hold a JSON object of key -> value, e.g. {"bucket": "aq-raw"}`);
      const r = await withStore((store, svc) => svc.importVariables(store, entries as Record<string, unknown>, action as 'overwrite' | 'fail' | 'skip'));
      process.stdout.write(`${r.written.length} of ${Object.keys(entries).length} variables successfully updated.\n`);
      if (r.skipped.length) process.stdout.write(`${r.skipped.length} variable(s) skipped (they exist): ${r.skipped.join(', ')}\n`);
    });

  vars
    .command('export <file>')
    .description('write every variable to a JSON file (- for standard output)')
    .action(async (file: string) => {
      const all = await withStore((store, svc) => svc.exportVariables(store));
      const text = JSON.stringify(all, null, 4) + '\n';
      if (file === '-') process.stdout.write(text);
      else {
        (await import('node:fs')).writeFileSync(file, text, { mode: 0o600 });
        process.stdout.write(`${Object.keys(all).length} variables successfully exported to ${file}\n`);
      }
    });
}
