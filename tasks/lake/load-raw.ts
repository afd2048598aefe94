// lake.load_raw: publish the raw partition that openaq.extract staged locally
// ($WINDSOCK_HOME/staging/<source>/ds=<ds_local>/) to the lake at raw/<source>/ds=<ds_local>/, replacing it whole.
// The staged manifest is checked first (every page there, with its size and sha256); only the pages it lists and the
// manifest itself are published, never the extract's progress journals.
import fsp from 'node:fs/promises';
import path from 'node:path';
import { LoadRawArgs, loadRawSpec } from './operator-spec.js';
import { FailTask, type OperatorDefinition, type TaskContext } from '../../engine/operators/api.js';
import { MANIFEST_FILE, rawPartitionPrefix } from '../openaq/raw-format.js';
import { openLake } from './open-lake.js';
import { StagedPartitionError, stagingDir, verifyStagedPartition, type StagedPartition } from './staged-partition.js';

export { LoadRawArgs };

export interface LoadRawResult {
  ds: string;
  lake: string;
  prefix: string;
  files: number;
  bytes: number;
}

export const loadRawOperator: OperatorDefinition<LoadRawArgs> = { ...loadRawSpec, execute: (args, ctx) => loadRaw(args, ctx) };

export async function loadRaw(args: LoadRawArgs, ctx: TaskContext): Promise<LoadRawResult> {
  const source = args.source ?? 'openaq';
  const ds = ctx.dsLocal;
  const dir = stagingDir(ctx.home, source, ds);
  const rerun = `dag tasks clear ${ctx.dagId} -t extract -s ${ds} -e ${ds}`;
  let staged: StagedPartition;
  try {
    staged = await verifyStagedPartition(dir, ds, rerun);
  } catch (err) {
    if (err instanceof StagedPartitionError) throw new FailTask(err.message);
    throw err;
  }
  ctx.log.info(`staged partition verified: ${staged.files.length} files, ${staged.bytes} bytes`, { dir });
  if (ctx.signal.aborted) throw new Error('stopped before publishing');

  const lake = openLake(undefined, ctx.home);
  const prefix = rawPartitionPrefix(ds, source);
  const selection = await selectFiles(staged, path.dirname(dir), `ds=${ds}`);
  try {
    ctx.log.info(`publishing to ${lake.uri} at ${prefix}`);
    await lake.replacePartition(prefix, selection, MANIFEST_FILE);
  } finally {
    await fsp.rm(selection, { recursive: true, force: true });
  }
  ctx.log.info(`published ${staged.files.length} files (${staged.bytes} bytes) to ${prefix}`);
  return { ds, lake: lake.uri, prefix, files: staged.files.length, bytes: staged.bytes };
}

/**
 * A folder beside the staged partition holding only the files to publish, as hard links (a copy when links are not
 * possible). Leftovers of a crashed attempt for the same day are removed first.
 */
async function selectFiles(staged: StagedPartition, parent: string, name: string): Promise<string> {
  const tag = `.publish-${name}-`;
  for (const entry of await fsp.readdir(parent)) {
    if (entry.startsWith(tag)) await fsp.rm(path.join(parent, entry), { recursive: true, force: true });
  }
  const selection = await fsp.mkdtemp(path.join(parent, tag));
  for (const rel of staged.files) {
    const from = path.join(staged.dir, ...rel.split('/'));
    const to = path.join(selection, ...rel.split('/'));
    await fsp.mkdir(path.dirname(to), { recursive: true });
    await fsp.link(from, to).catch(() => fsp.copyFile(from, to));
  }
  return selection;
}
