// What most commands need: the settings, the state store and the DAGs folder, parsed and recorded (DAGs synced to the
// `dag` table, problems stored as import errors), exactly as the scheduler would see them.
import fs from 'node:fs';
import path from 'node:path';
import { engineSettings, type EngineSettings } from '../engine/settings.js';
import { UserError, type DagSpec, type ImportProblem } from '../engine/types.js';
import type { Store } from '../engine/state/store.js';
import type { OperatorRegistry } from '../engine/operators/registry.js';
import { catalogSignature } from './folder-signature.js';
import { requireName } from '../engine/dag/names.js';
import { checkDagSettings } from './settings-check.js';

export interface Loaded {
  settings: EngineSettings;
  store: Store;
  registry: OperatorRegistry;
  dags: Map<string, DagSpec>;
  problems: ImportProblem[];
  /** Parse the DAGs folder again and record the result (what the scheduler does when files change). */
  reparse(): { dags: DagSpec[]; problems: ImportProblem[] };
}

export async function openStore(): Promise<{ settings: EngineSettings; store: Store }> {
  const settings = engineSettings();
  const { Store } = await import('../engine/state/store.js');
  return { settings, store: Store.open(settings.home) };
}

/** The pools of the state database, read-only (validate touches nothing); only default_pool when there is none yet. */
export async function existingPools(home: string): Promise<Set<string>> {
  const [fs, { stateDbPath, openDb }, { poolNames }] = await Promise.all([import('node:fs'), import('../engine/state/db.js'), import('../engine/state/pools.js')]);
  if (!fs.existsSync(stateDbPath(home))) return new Set(['default_pool']);
  const db = openDb(home, { readonly: true });
  try {
    return poolNames(db);
  } finally {
    db.close();
  }
}

export async function loadAll(opened?: { settings: EngineSettings; store: Store; signature?: string }): Promise<Loaded> {
  const { settings, store } = opened ?? (await openStore());
  const [{ loadRegistry }, { loadDagFolder }, { describeSchedule }] = await Promise.all([
    import('./plugins.js'),
    import('../engine/dag/index.js'),
    import('../engine/schedule/index.js'),
  ]);
  const registry = await loadRegistry();
  // The signature is taken before parsing: an edit during the parse makes the next one differ.
  const parse = (signature = catalogSignature(settings.dagsFolder)) => {
    const { dags, problems } = loadDagFolder(settings.dagsFolder, registry);
    store.dags.sync(dags, (d) => d.schedule.source, (d) => describeSchedule(d.schedule, d.timezone));
    store.importErrors.replace(problems, settings.dagsFolder);
    store.dags.markImportErrors([...new Set(problems.map((p) => p.file))]);
    store.dagWarnings.refreshPools(dags);
    store.folderParses.record(signature);
    return { dags, problems };
  };
  const { dags, problems } = parse(opened?.signature);
  return { settings, store, registry, dags: new Map(dags.map((d) => [d.dagId, d])), problems, reparse: () => parse() };
}

/**
 * The `dag` and `import_error` tables, up to date with the DAGs folder, for listings. Parsing loads zod, the YAML
 * reader and every operator plugin (about a second); when the folder has not changed since the last parse the tables
 * already say what a parse would, so `dag list` answers from them.
 */
export async function loadCatalog(): Promise<{ settings: EngineSettings; store: Store }> {
  requireDagsFolder(engineSettings());
  const opened = await openStore();
  const signature = catalogSignature(opened.settings.dagsFolder);
  if (opened.store.folderParses.signature() !== signature) await loadAll({ ...opened, signature });
  return opened;
}

export function requireDag(l: Loaded, dagId: string): DagSpec {
  requireName('DAG id', dagId);
  const dag = l.dags.get(dagId);
  if (dag) return dag;
  requireDagsFolder(l.settings);
  const broken = l.problems.find((p) => p.dagId === dagId);
  if (broken) throw new UserError(`DAG '${dagId}' is broken: ${broken.file}:${broken.line ?? 1}: ${broken.message}`, 'run `dag validate` for every problem');
  const known = [...l.dags.keys()];
  throw new UserError(
    `DAG '${dagId}' not found in ${l.settings.dagsFolder}${known.length ? ` (DAGs there: ${known.slice(0, 10).join(', ')})` : ''}: check the id or set WINDSOCK_DAGS_FOLDER`,
  );
}

/** A listing of a DAGs folder that does not exist is a wrong setting, not an empty list. */
export function requireDagsFolder(settings: EngineSettings): void {
  if (fs.existsSync(settings.dagsFolder)) return;
  throw new UserError(`the DAGs folder ${path.resolve(settings.dagsFolder)} does not exist: create it, or point WINDSOCK_DAGS_FOLDER (or --dags-folder) at your DAG files`);
}

/** requireDag, for a command about to create or run runs: the settings of the DAG's operators are checked first. */
export function requireRunnableDag(l: Loaded, dagId: string): DagSpec {
  const dag = requireDag(l, dagId);
  checkDagSettings(l.registry, [dag]);
  return dag;
}

export function parseConf(raw: string | undefined): Record<string, unknown> {
  if (raw == null) return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (err) {
    throw new UserError(`--conf is not valid JSON (${(err as Error).message}): pass an object, e.g. --conf '{"key": "value"}'`);
  }
  if (v == null || typeof v !== 'object' || Array.isArray(v)) throw new UserError(`--conf must be a JSON object, e.g. --conf '{"key": "value"}'`);
  return v as Record<string, unknown>;
}
