#!/usr/bin/env node
// `dag`: windsock's command line, mirroring `airflow dags ...` / `airflow tasks ...`. This module stays light so that
// `dag --version` starts fast: every command imports what it needs inside its action.
import { Command } from 'commander';
import { createRequire } from 'node:module';
import { register as registerRun } from './commands/run.js';
import { register as registerListings } from './commands/listings.js';
import { register as registerTasks } from './commands/tasks.js';
import { register as registerValidate } from './commands/validate.js';
import { register as registerWarehouse } from './commands/warehouse.js';
import { register as registerSimulator } from './commands/openaq-simulator.js';
import { register as registerScheduler } from './commands/scheduler.js';
import { register as registerScheduling } from './commands/scheduling.js';
import { register as registerBackfill } from './commands/backfill.js';
import { register as registerPools } from './commands/pools.js';
import { exitWithError, reportError } from './report-error.js';
import { register as registerUsers } from './commands/users.js';
import { register as registerServe } from './commands/serve.js';
import { register as registerStandalone } from './commands/standalone.js';
import { register as registerDeleteDag } from './commands/delete-dag.js';
import { register as registerVariables } from './commands/variables.js';

// `dag schema | head`: a reader that stops early is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };

const program = new Command('dag')
  .description('windsock: an Airflow-compatible DAG runner')
  .version(pkg.version, '-V, --version')
  .option('--home <dir>', 'state, logs, lake and warehouse folder (WINDSOCK_HOME, default ./.windsock)')
  .option('--dags-folder <dir>', 'where DAG files are read (WINDSOCK_DAGS_FOLDER, default ./dags)')
  .showSuggestionAfterError()
  .exitOverride()
  .hook('preAction', async (cmd) => {
    // Flags win over the environment; written back so worker threads and child processes see the same settings.
    const o = cmd.opts<{ home?: string; dagsFolder?: string }>();
    if (o.home) process.env.WINDSOCK_HOME = o.home;
    if (o.dagsFolder) process.env.WINDSOCK_DAGS_FOLDER = o.dagsFolder;
    (await import('./settings-check.js')).checkEngineSettings(); // a bad WINDSOCK_* variable stops every command here
  });

for (const register of [registerRun, registerBackfill, registerScheduling, registerScheduler, registerListings, registerTasks, registerPools,
  registerValidate, registerWarehouse, registerSimulator, registerUsers, registerServe, registerStandalone, registerDeleteDag,
  registerVariables]) register(program);

// An error raised outside a command's own promise chain (a timer, a callback) ends the command the same way.
process.on('uncaughtException', exitWithError);
process.on('unhandledRejection', exitWithError);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportError(err);
}
