// The simulator in a process where another Hono server started first (as `dag standalone` starts the web server before
// an extract starts the simulator): @hono/node-server has replaced globalThis.Response by then. Asks for the page given
// in argv n times with the faults given as JSON, and prints the outcome of each request as JSON on stdout:
//   node dist/tests/support/simulator-after-hono.js '<faults JSON>' <path> <n>
import { serve } from '@hono/node-server';
import { requestOutcomes } from './request-outcomes.js';

const [faultsJson, target, n] = process.argv.slice(2) as [string, string, string];
const first = serve({ fetch: () => new Response('another server'), port: 0, hostname: '127.0.0.1' });
await new Promise<void>((resolve) => first.close(() => resolve()));
const { startSimulator } = await import('../../tasks/openaq/simulator/index.js');
const sim = await startSimulator({ faults: JSON.parse(faultsJson) });
const outcomes = await requestOutcomes(sim.url + target, Number(n));
await sim.close();
process.stdout.write(JSON.stringify(outcomes) + '\n');
