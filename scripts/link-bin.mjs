// Makes `npx dag` run the compiled CLI straight from node_modules/.bin, as it runs any dependency's command.
// package.json has no "bin" on purpose: npm exec runs a project's *own* bin by installing the project into its npx
// cache first (libnpmexec, "self-execution of a local bin"), which builds a dependency tree with the registry and
// took 25 s to 3 min on a first `npx dag`. A link in node_modules/.bin is found before that path is taken.
// Run by `npm run build`, so by `npm ci` (prepare). The Dockerfile links /usr/local/bin/dag itself.
import { chmodSync, mkdirSync, readlinkSync, symlinkSync, unlinkSync } from 'node:fs';

const cli = 'dist/cli/main.js';
const link = 'node_modules/.bin/dag';
const target = '../../dist/cli/main.js';

chmodSync(cli, 0o755);
mkdirSync('node_modules/.bin', { recursive: true });
let current;
try { current = readlinkSync(link); } catch { current = undefined; }
if (current !== target) {
  if (current !== undefined) unlinkSync(link);
  symlinkSync(target, link);
}
