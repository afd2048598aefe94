// Run one operator in a child process (for kill-and-resume tests):
//   node dist/tests/support/operator-child.js <plugin module path> <operator name> '<{"args": {...}, "opts": {...}}>'
// Logs go to stderr as they come; the result is printed as JSON on stdout.
import { pathToFileURL } from 'node:url';
import type { OperatorPlugin } from '../../engine/operators/api.js';
import { runOperator } from './operator-harness.js';

const [modulePath, name, json] = process.argv.slice(2);
const plugin = (await import(pathToFileURL(modulePath).href)) as OperatorPlugin;
const op = plugin.operators.find((o) => o.name === name);
if (!op) throw new Error(`${modulePath} has no operator ${name}`);
const { args, opts } = JSON.parse(json) as { args: Record<string, unknown>; opts: Parameters<typeof runOperator>[2] };
const run = await runOperator(op, args, { ...opts, echo: true });
process.stdout.write(JSON.stringify(run.result) + '\n');
