// `dag validate [PATH]`: check DAG files without touching the state database; every problem, exit 1 if any.
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('validate [path]')
    .description('check DAG files (a file or a folder; default the DAGs folder) and print every problem')
    .action(async (target: string | undefined) => {
      const [fs, path, { engineSettings }, { loadDagFolder, loadDagFile }, { loadRegistry }, { formatProblem, UserError }, { poolWarnings }, { formatDagWarning }, { existingPools }] =
        await Promise.all([
          import('node:fs'),
          import('node:path'),
          import('../../engine/settings.js'),
          import('../../engine/dag/index.js'),
          import('../plugins.js'),
          import('../../engine/types.js'),
          import('../../engine/state/dag-warnings.js'),
          import('../dag-warnings.js'),
          import('../context.js'),
        ]);
      const where = path.resolve(target ?? engineSettings().dagsFolder);
      if (!fs.existsSync(where)) throw new UserError(`${where} does not exist: pass a DAG file or folder`);
      const registry = await loadRegistry();
      const { dags, problems } = fs.statSync(where).isDirectory() ? loadDagFolder(where, registry) : loadDagFile(where, registry);
      for (const p of problems) process.stdout.write(formatProblem(p) + '\n');
      // Warnings (a DAG that loads but would not run as written) are printed, but only problems make exit 1.
      const warnings = poolWarnings(dags, await existingPools(engineSettings().home));
      for (const w of warnings) process.stdout.write(formatDagWarning(w) + '\n');
      const files = new Set(problems.map((p) => p.file)).size;
      const warned = warnings.length ? `, ${warnings.length} with warnings` : '';
      process.stdout.write(problems.length
        ? `${problems.length} problem(s) in ${files} file(s); ${dags.length} DAG(s) OK${warned}\n`
        : `${dags.length} DAG(s) OK${warned}\n`);
      if (problems.length) process.exitCode = 1;
    });

  program
    .command('schema')
    .description('print the JSON Schema of DAG files (for editor autocompletion)')
    .action(async () => {
      const [{ dagSchemaText }, { loadRegistry }] = await Promise.all([import('../../engine/dag/index.js'), import('../plugins.js')]);
      process.stdout.write(dagSchemaText(await loadRegistry()));
    });
}
