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
import { isKnownZone } from '../../engine/schedule/zone.js';
import type { Lake } from '../lake/lake.js';
import { openLake } from '../lake/open-lake.js';
import type { ManifestPage } from '../openaq/raw-format.js';
import { typedColumn } from '../arrow-columns.js';
import { daysOfIsoDate } from './civil-time.js';
import { Dimensions } from './dimensions.js';
import { queryFact, type HoursPage } from './fact-query.js';
import { REJECT_REASONS, type SensorRow } from './fact-sql.js';
import { rowsTable, starTable, toParquet } from './parquet.js';
import { RawSyntaxError, SchemaDriftError } from './raw-errors.js';
import { checkLocalPages, openRawPartition, RawPartitionError, verifiedPages, type RawPartition } from './raw-partition.js';
import { FileLake } from '../lake/file-lake.js';
import { stagingDir } from '../lake/staged-partition.js';
import { DIM_DATE, DIM_LOCATION, DIM_PARAMETER, DIM_SENSOR, FACT_MEASUREMENT, STAR_FILE, type StarTableName } from './schema.js';
import { newStarBatch, publishStarPartition } from './star-manifest.js';
import type * as arrow from 'apache-arrow';

export { TransformArgs };

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

export async function runTransform(ctx: TaskContext, lake: Lake = openLake(undefined, ctx.home)): Promise<TransformResult> {
  try {
    return await transform(ctx, lake);
  } catch (err) {
    if (err instanceof RawPartitionError || err instanceof RawSyntaxError) throw new FailTask(err.message);
    if (err instanceof SchemaDriftError) {
      throw new FailTask(`${err.message}: the OpenAQ response shape changed; star.transform must be updated to read it`);
    }
    throw err;
  }
}

async function transform(ctx: TaskContext, lake: Lake): Promise<TransformResult> {
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
  const staging = stagingDir(ctx.home, 'star-read', ds);
  await fsp.rm(staging, { recursive: true, force: true });
  let fact;
  try {
    const pages = await hoursPages(lake, part, path.join(staging, 'pages'), ctx);
    if (ctx.signal.aborted) throw new Error('stopped');
    fact = await queryFact({ pages, sensors: factSensors(dims, ctx), intervalStartMs: startMs, intervalEndMs: endMs, tempDir: path.join(staging, 'spill'), signal: ctx.signal });
  } finally {
    await fsp.rm(staging, { recursive: true, force: true });
  }

  const n = fact.rowsOut;
  const tables: [StarTableName, arrow.Table][] = [
    ['fact_measurement', starTable(FACT_MEASUREMENT, { ...fact.columns, ds: typedColumn('date', new Int32Array(n).fill(dsDays)) }, n)],
    ['dim_location', rowsTable(DIM_LOCATION, [...dims.locations.values()])],
    ['dim_parameter', rowsTable(DIM_PARAMETER, [...dims.parameters().values()])],
    ['dim_sensor', rowsTable(DIM_SENSOR, [...dims.sensors.values()])],
    ['dim_date', rowsTable(DIM_DATE, fact.dimDate)],
  ];
  await writeStar(lake, ctx.home, ds, tables);

  const rejected: Record<string, number> = {};
  for (const r of REJECT_REASONS) if (fact.rejected[r]) rejected[r] = fact.rejected[r];
  const result: TransformResult = {
    ds,
    lake: lake.uri,
    rows_in: fact.rowsIn,
    rows_out: fact.rowsOut,
    rejected,
    tables: Object.fromEntries(tables.map(([name, t]) => [name, t.numRows])) as Record<StarTableName, number>,
  };
  const why = Object.entries(rejected).map(([r, k]) => `${k} ${r}`).join(', ');
  ctx.log.info(`${result.rows_in} raw rows -> ${result.rows_out} facts${why ? ` (rejected: ${why})` : ''}; ${tables.map(([name, t]) => `${name} ${t.numRows}`).join(', ')}`);
  return result;
}

/**
 * The sensor_hours pages in fetch order, each checked against the manifest (size and sha256) before DuckDB reads
 * them: in place in a file:// lake, copied into `dir` from any other.
 */
async function hoursPages(lake: Lake, part: RawPartition, dir: string, ctx: TaskContext): Promise<HoursPage[]> {
  const pages = fetchOrder(part.manifest.pages.filter((p) => p.endpoint === 'sensor_hours')).map((page) => {
    const key = `${part.prefix}${page.path}`;
    const sensorId = page.sensor_id ?? Number(/(?:^|\/)sensors\/(\d+)\//.exec(page.path)?.[1]);
    if (!Number.isInteger(sensorId)) throw new RawPartitionError(`${part.where(key)}: the manifest gives no sensor_id for this sensor_hours page`);
    const file = lake instanceof FileLake ? lake.pathOf(key) : path.join(dir, ...page.path.split('/'));
    return { page, key, file, hours: { file, where: part.where(key), sensorId, rows: page.rows } };
  });
  if (lake instanceof FileLake) await checkLocalPages(part, pages, ctx.signal);
  else {
    const files = new Map(pages.map((p) => [p.key, p.file]));
    for await (const { key, bytes } of verifiedPages(lake, part, pages.map((p) => p.page))) {
      ctx.signal.throwIfAborted();
      const file = files.get(key)!;
      await fsp.mkdir(path.dirname(file), { recursive: true });
      await fsp.writeFile(file, bytes);
    }
  }
  ctx.log.info(`${pages.length} sensor pages match the manifest`);
  return pages.map((p) => p.hours);
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
function factSensors(dims: Dimensions, ctx: TaskContext): SensorRow[] {
  const fallback = isKnownZone(ctx.timezone) ? ctx.timezone : 'UTC';
  const zones = new Map<string, string>();
  const zoneOf = (loc: { location_id: number; timezone: string | null } | undefined): string => {
    const name = loc?.timezone;
    if (!name) return fallback;
    let z = zones.get(name);
    if (!z) {
      z = isKnownZone(name) ? name : fallback;
      if (z !== name) ctx.log.warn(`location ${loc.location_id} has an unknown time zone ${JSON.stringify(name)}: using the DAG's, ${fallback}`);
      zones.set(name, z);
    }
    return z;
  };
  return [...dims.sensors.values()].map((s) => ({ sensorId: s.sensor_id, locationId: s.location_id, parameterId: s.parameter_id, tz: zoneOf(dims.locations.get(s.location_id)) }));
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
