// Loaded into a `dag` process with `NODE_OPTIONS=--import` (tests/integration/threadpool-nudge.test.ts): writes a line to
// stderr each time the process checks access to "/", the job engine/threadpool-nudge.ts queues. The bundled CLI
// calls fs.access through the same `node:fs` object, so the wrapper sees its calls.
import fs from 'node:fs';

const access = fs.access;
fs.access = function (this: unknown, ...args: unknown[]) {
  if (args[0] === '/') fs.writeSync(2, 'nudge\n');
  return (access as (...a: unknown[]) => void).apply(this, args);
} as typeof fs.access;
