// star.transform: the day's raw partition (raw/openaq/ds=<ds_local>/) -> the star schema as Parquet, one file per
// table partition (star/<table>/ds=<ds_local>/part-0.parquet, with its _manifest.json), each partition replaced whole.
//
// Every raw row is accounted for: loaded into fact_measurement, or rejected with a reason. Null and negative values
// (OpenAQ's -1 / -999 sentinels) are loaded with is_valid = false. A row fetched twice for the same sensor and
// period keeps the last fetched (manifest fetched_at, then manifest order, then row order).
import fsp from 'node:fs/promises';
import path from 'node:path';
import { TransformArgs, transformSpec } from './operator-spec.js';
import { FailTask, type OperatorDefinition, type TaskContext } from '../../engine/operators/api.js';
import type { Lake } from '../lake/lake.js';
import { openLake } from '../lake/open-lake.js';
import type { ManifestPage } from '../openaq/raw-format.js';
import { dimDateTable, dimLocationTable, dimParameterTable, dimSensorTable, factTable } from './arrow-tables.js';
import { daysOfIsoDate } from './civil-time.js';
import { Dimensions } from './dimensions.js';
import { FactBuilder, REJECT_REASONS, type FactSensor } from './fact-builder.js';
import { toParquet } from './parquet.js';
import { RawSyntaxError, SchemaDriftError } from './raw-errors.js';
import { checkDigest, checkSize, missingPage, openRawPartition, RawPartitionError, readPage, verifiedPages, type RawPartition } from './raw-partition.js';
import { inOrder } from '../concurrency.js';
import { FileLake } from '../lake/file-lake.js';
import { stagingDir } from '../lake/staged-partition.js';
import { ScanPool } from './scan-pool.js';
import { STAR_FILE, type StarTableName } from './schema.js';
import { newStarBatch, publishStarPartition } from './star-manifest.js';
import { ZoneOffsets } from './zone-offsets.js';
import type * as arrow from 'apache-arrow';

export { TransformArgs };

export interface TransformOptions {
  /** Rows from which a partition's pages are scanned on worker threads (bench/transform's 970,278 are). */
  parallelScanMinRows?: number;
}

export interface TransformResult {
  ds: string;
  lake: string;
  /** Rows in the raw sensor_hours pages. */
  rows_in: number;
  /** Rows in fact_measurement; rows_in = rows_out + the rejected counts. */
  rows_out: number;
  rejected: Record<string, number>;
  /** Rows written per table. */
  tables: Record<StarTableName, number>;
}

export const transformOperator: OperatorDefinition<TransformArgs> = { ...transformSpec, execute: (_args, ctx) => runTransform(ctx) };

export async function runTransform(ctx: TaskContext, lake: Lake = openLake(undefined, ctx.home), opts: TransformOptions = {}): Promise<TransformResult> {
  try {
    return await transform(ctx, lake, opts);
  } catch (err) {
    if (err instanceof RawPartitionError || err instanceof RawSyntaxError) throw new FailTask(err.message);
    if (err instanceof SchemaDriftError) {
      throw new FailTask(`${err.message}: the OpenAQ response shape changed; star.transform must be updated to read it`);
    }
    throw err;
  }
}

async function transform(ctx: TaskContext, lake: Lake, opts: TransformOptions): Promise<TransformResult> {
  const ds = ctx.dsLocal;
  const dsDays = daysOfIsoDate(ds);
  if (Number.isNaN(dsDays)) throw new FailTask(`star.transform: ds_local ${JSON.stringify(ds)} is not a date`);
  const startMs = Date.parse(ctx.dataIntervalStart);
  const endMs = Date.parse(ctx.dataIntervalEnd);
  const part = await openRawPartition(lake, ds, ctx.dagId);
  const m = part.manifest;
  if (Date.parse(m.data_interval_start) !== startMs || Date.parse(m.data_interval_end) !== endMs) {
    ctx.log.warn(`the raw partition was fetched for ${m.data_interval_start} .. ${m.data_interval_end}; this run's interval is ${ctx.dataIntervalStart} .. ${ctx.dataIntervalEnd}`);
  }

  const dims = await readDimensions(lake, part);
  const sensors = factSensors(dims, ctx);
  const hourPages = fetchOrder(m.pages.filter((p) => p.endpoint === 'sensor_hours'));
  const rowsIn = hourPages.reduce((n, p) => n + p.rows, 0);
  const facts = new FactBuilder(rowsIn, startMs, endMs);
  // Starting the workers costs ~0.15 s of CPU each (a thread and its modules): a day of Paris (~1,500 rows) scans
  // inline in a few milliseconds, so only a partition large enough to repay them gets them.
  const pool = new ScanPool(rowsIn < (opts.parallelScanMinRows ?? 50_000) ? 1 : undefined);
  try {
    let pagesDone = 0;
    // Pages are read a few ahead and hashed and scanned on worker threads; rows are applied here in fetch order.
    // A file:// lake is read by the workers themselves, into reused buffers (the checksum still guards every page).
    const local = lake instanceof FileLake ? lake : undefined;
    const scanned = inOrder(hourPages, 8, async (page) => {
      const key = `${part.prefix}${page.path}`;
      if (local && pool.parallel) return { page, key, result: await pool.scanFile(local.pathOf(key), part.where(key), page.rows) };
      const { bytes } = await readPage(lake, part, page);
      return { page, key, result: await pool.scan(bytes, part.where(key), page.rows) };
    });
    for await (const { page, key, result } of scanned) {
      if (ctx.signal.aborted) throw new Error('stopped');
      if (result.missing) throw missingPage(part, key);
      checkSize(part, key, page, result.size);
      checkDigest(part, key, page, result.sha256);
      if (result.error) throw result.error;
      const cols = result.page!;
      const sensorId = page.sensor_id ?? Number(/(?:^|\/)sensors\/(\d+)\//.exec(page.path)?.[1]);
      if (!Number.isInteger(sensorId)) throw new RawPartitionError(`${part.where(key)}: the manifest gives no sensor_id for this sensor_hours page`);
      if (cols.rows !== page.rows) throw new RawPartitionError(`raw page ${part.where(key)} has ${cols.rows} results, the manifest says ${page.rows}: ${part.prefix} is damaged`);
      const sensor = sensors.get(sensorId);
      if (!sensor) facts.rejectUnknownSensor(cols.rows);
      else {
        const d = cols.data;
        const n = cols.rows;
        for (let i = 0; i < n; i++) {
          const v = d[i]!;
          facts.add(sensor, v, v !== v, d[n + i]!, d[2 * n + i]!, d[3 * n + i]!, d[4 * n + i]!);
        }
      }
      if (++pagesDone % 200 === 0) ctx.log.info(`read ${pagesDone}/${hourPages.length} sensor pages, ${facts.rowsIn} rows`);
    }
  } finally {
    await pool.close();
  }
  const columns = facts.finish();

  const tables: [StarTableName, arrow.Table][] = [
    ['fact_measurement', factTable(columns, dsDays)],
    ['dim_location', dimLocationTable([...dims.locations.values()])],
    ['dim_parameter', dimParameterTable([...dims.parameters().values()])],
    ['dim_sensor', dimSensorTable([...dims.sensors.values()])],
    ['dim_date', dimDateTable(columns.days)],
  ];
  await writeStar(lake, ctx.home, ds, tables);

  const rejected: Record<string, number> = {};
  for (const r of REJECT_REASONS) if (facts.rejected[r]) rejected[r] = facts.rejected[r];
  const result: TransformResult = {
    ds,
    lake: lake.uri,
    rows_in: facts.rowsIn,
    rows_out: facts.rowsOut,
    rejected,
    tables: Object.fromEntries(tables.map(([name, t]) => [name, t.numRows])) as Record<StarTableName, number>,
  };
  const why = Object.entries(rejected).map(([r, n]) => `${n} ${r}`).join(', ');
  ctx.log.info(`${result.rows_in} raw rows -> ${result.rows_out} facts${why ? ` (rejected: ${why})` : ''}; ${tables.map(([n, t]) => `${n} ${t.numRows}`).join(', ')}`);
  return result;
}

async function readDimensions(lake: Lake, part: RawPartition): Promise<Dimensions> {
  const dims = new Dimensions();
  const pages = part.manifest.pages.filter((p) => p.endpoint === 'parameters' || p.endpoint === 'locations');
  // Parameters first (they win over the copies inside location sensor lists), then locations in fetch order.
  const ordered = [...fetchOrder(pages.filter((p) => p.endpoint === 'parameters')), ...fetchOrder(pages.filter((p) => p.endpoint === 'locations'))];
  for await (const { page, key, bytes } of verifiedPages(lake, part, ordered)) {
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      throw new RawPartitionError(`raw page ${part.where(key)} is not valid JSON: ${(err as Error).message}`);
    }
    if (page.endpoint === 'parameters') dims.addParametersPage(json, part.where(key));
    else dims.addLocationsPage(json, part.where(key));
  }
  return dims;
}

/** Each sensor with its location and time zone (the location's, or the DAG's when it has none or an unknown one). */
function factSensors(dims: Dimensions, ctx: TaskContext): Map<number, FactSensor> {
  const fallback = ZoneOffsets.tryCreate(ctx.timezone) ?? (ZoneOffsets.tryCreate('UTC') as ZoneOffsets);
  const zones = new Map<string, ZoneOffsets>();
  const zoneOf = (loc: { location_id: number; timezone: string | null } | undefined): ZoneOffsets => {
    const name = loc?.timezone;
    if (!name) return fallback;
    let z = zones.get(name);
    if (!z) {
      z = ZoneOffsets.tryCreate(name) ?? fallback;
      if (z === fallback && name !== fallback.name) ctx.log.warn(`location ${loc.location_id} has an unknown time zone ${JSON.stringify(name)}: using the DAG's, ${fallback.name}`);
      zones.set(name, z);
    }
    return z;
  };
  const out = new Map<number, FactSensor>();
  for (const s of dims.sensors.values()) {
    out.set(s.sensor_id, { sensorId: s.sensor_id, locationId: s.location_id, parameterId: s.parameter_id, zone: zoneOf(dims.locations.get(s.location_id)), listed: out.size });
  }
  return out;
}

/** Pages in fetch order: by fetched_at, then as the manifest lists them (page order). */
function fetchOrder(pages: ManifestPage[]): ManifestPage[] {
  return pages
    .map((p, i) => ({ p, i, t: Date.parse(p.fetched_at) }))
    .sort((a, b) => (a.t === b.t || (Number.isNaN(a.t) && Number.isNaN(b.t)) ? a.i - b.i : Number.isNaN(a.t) ? -1 : Number.isNaN(b.t) ? 1 : a.t - b.t))
    .map((x) => x.p);
}

/** Each table's partition replaced whole, from a local staging folder, with its manifest (one batch for the day). */
async function writeStar(lake: Lake, home: string, ds: string, tables: [StarTableName, arrow.Table][]): Promise<void> {
  const staging = stagingDir(home, 'star', ds);
  const batch = newStarBatch();
  await fsp.rm(staging, { recursive: true, force: true });
  try {
    for (const [name, table] of tables) {
      const dir = path.join(staging, name);
      await fsp.mkdir(dir, { recursive: true });
      await fsp.writeFile(path.join(dir, STAR_FILE), toParquet(table, { dictionary: name !== 'fact_measurement' }));
      await publishStarPartition(lake, dir, name, ds, batch);
    }
  } finally {
    await fsp.rm(staging, { recursive: true, force: true });
  }
}
