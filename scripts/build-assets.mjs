// Bundles the browser code (the admin UI's script, the dashboard) with esbuild into dist/ui/assets/, after
// type-checking it against the DOM (tsconfig.client.json). Run by `npm run build`, so by `npm ci` (prepare).
// Each bundle is listed once here; an entry that does not exist yet is skipped, so the list can lead the code.
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { promisify } from 'node:util';

const outdir = 'dist/ui/assets';

/** name -> entry point. The served file is dist/ui/assets/<name>.js (and <name>.css when the entry imports CSS). */
export const bundles = {
  'admin': 'ui/client/admin.ts',
  'graph': 'ui/client/graph.ts',
  'action-form': 'ui/client/action-form.ts',
  'dashboard': 'ui/dashboard/main.ts',
};

const present = Object.entries(bundles).filter(([, entry]) => existsSync(entry));
if (present.length) {
  await promisify(execFile)(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'tsconfig.client.json'], { stdio: 'inherit' }).catch((e) => {
    process.stderr.write(String(e.stdout ?? '') + String(e.stderr ?? ''));
    process.exit(1);
  });
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: Object.fromEntries(present),
    outdir,
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome120', 'firefox120'],
    loader: { '.css': 'text' },
    metafile: false,
    logLevel: 'warning',
  });
}
