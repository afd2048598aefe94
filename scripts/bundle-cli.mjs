// Bundles the `dag` command with esbuild into dist/cli/main.js (the file `npx dag` and the Dockerfile's
// /usr/local/bin/dag link to), with its lazily imported commands split into dist/cli-bundle/. Node then reads a few
// files at start-up instead of ~250 ES modules (https://esbuild.github.io/api/#splitting). Run by `npm run build`
// after tsc, whose dist/ files stay what the tests import and what worker threads and child processes load.
//
// Paths computed from `import.meta.url` (worker entry points, the spawner's Node fallback, the built-in operator
// plugins, the web assets, package.json) keep meaning what they meant in the tsc output: in every bundled source file,
// `import.meta.url` becomes the URL of that file's own compiled copy in dist/, relative to the bundle. The entry
// (dist/cli/) and the chunks (dist/cli-bundle/) are both one level under dist/, so one relative path serves both.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const chunks = 'dist/cli-bundle';

/**
 * Left to Node at run time: native addons and WebAssembly (found next to their own files), packages that start their
 * own workers by file name (pino), the cloud clients and DuckDB (loaded on first use, heavy, native or both), and the
 * CommonJS packages the engine requires lazily by name (engine/lazy-require.ts), so that they load only when a DAG
 * needs them (tests/integration/start-up-imports.test.ts watches them in the module cache).
 */
export const external = [
  'better-sqlite3', '@duckdb/*', 'parquet-wasm', 'apache-arrow', 'playwright-core', 'pino', 'pino-*', 'thread-stream',
  '@google-cloud/*', 'google-auth-library', 'yaml', 'cron-parser', 'nunjucks',
];

/** `import.meta.url` in a bundled project file -> the URL of its tsc output, so relative paths resolve as before. */
const compiledUrl = {
  name: 'compiled-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
      const rel = path.relative(root, args.path);
      if (rel.startsWith('..') || rel.split(path.sep).includes('node_modules')) return undefined;
      let text = await fs.promises.readFile(args.path, 'utf8');
      if (text.includes('import.meta.url')) {
        const compiled = '../' + rel.split(path.sep).join('/').replace(/\.tsx?$/, '.js');
        text = text.replaceAll('import.meta.url', `new URL(${JSON.stringify(compiled)}, import.meta.url).href`);
      }
      return { contents: zodNamespace(text), loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts' };
    });
  },
};

/**
 * `import { z } from 'zod'` -> `import * as z from 'zod/v4'`: the same modules (zod's index re-exports zod/v4's), but
 * esbuild drops the parts of a namespace import nobody reads, and keeps all of `z` for the named import, 95 locale
 * modules included (measured: 64 KB of messages nobody sees, the English ones are zod/v4/locales/en.js).
 */
function zodNamespace(text) {
  return text.replace(/^import \{ z \} from 'zod';$/gm, "import * as z from 'zod/v4';");
}

fs.rmSync(chunks, { recursive: true, force: true });
const result = await build({
  entryPoints: { 'cli/main': 'cli/main.ts' },
  outdir: 'dist',
  chunkNames: 'cli-bundle/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  external,
  // Bundled CommonJS (commander) calls require() for Node's own modules; ESM output has no require of its own.
  banner: { js: "import { createRequire as __windsockCreateRequire } from 'node:module'; const require = __windsockCreateRequire(import.meta.url);" },
  plugins: [compiledUrl],
  metafile: true,
  logLevel: 'warning',
});
// A bundle that carries zod's other locales again (an import of zod the rewrite above missed) is a build error.
const locales = Object.values(result.metafile.outputs).flatMap((o) => Object.entries(o.inputs))
  .filter(([file, i]) => /zod\/v4\/locales\/(?!en\.js)/.test(file) && i.bytesInOutput > 0).map(([file]) => file);
if (locales.length) {
  console.error(`bundle-cli: zod's locales are in the bundle (${locales[0]} ...): import zod as \`import { z } from 'zod';\``);
  process.exit(1);
}
// The shebang of cli/main.ts is kept by esbuild; the link in node_modules/.bin runs the file directly.
fs.writeFileSync('dist/cli-bundle/meta.json', JSON.stringify(result.metafile));
