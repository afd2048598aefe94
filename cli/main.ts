#!/usr/bin/env node
// `dag`: windsock's command line, mirroring `airflow dags ...` / `airflow tasks ...`. This module stays light so that
// `dag --version` starts fast: every command imports what it needs inside its action.
import { exitWithError } from './report-error.js';
import { runCli } from './program.js';
import { startThreadpoolNudge } from '../engine/threadpool-nudge.js';

// A file operation that waits on a lost wake-up of libuv's thread pool would otherwise wait forever (the module says why).
startThreadpoolNudge();

// `dag schema | head`: a reader that stops early is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// An error raised outside a command's own promise chain (a timer, a callback) ends the command the same way.
process.on('uncaughtException', exitWithError);
process.on('unhandledRejection', exitWithError);

process.exitCode = await runCli(process.argv.slice(2));
