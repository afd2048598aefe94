// The BigQuery warehouse through the real @google-cloud/bigquery client against a fake BigQuery on 127.0.0.1, with
// the star files written by the real star.transform into a gs:// lake (the real @google-cloud/storage client against
// a fake GCS). The fake keeps what the load jobs really upload (it reads the Parquet files the jobs name from the fake
// GCS) and runs the MERGE statements and queries in DuckDB, so these tests check the warehouse's contents against the
// star files, row by row, across loads of several days and a reload.
// What stays unverified without a real BigQuery: BigQuery's own SQL dialect and type coercions beyond what DuckDB
// shares (the MERGE is translated minimally: backticks to quoted names, MERGE to MERGE INTO), the atomicity of a
// partition-decorator load, permissions, quotas and job latency (the fake answers every job DONE at once).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as arrow from 'apache-arrow';
import { openLake } from '../../tasks/lake/open-lake.js';
import type { Lake } from '../../tasks/lake/lake.js';
import { transformOperator } from '../../tasks/star/transform.js';
import { loadStarOperator } from '../../tasks/warehouse/load-star.js';
import { openWarehouse } from '../../tasks/warehouse/open-warehouse.js';
import { startFakeBigQuery, type FakeBigQuery } from '../support/fake-bigquery.js';
import { startFakeGcs, type FakeGcs } from '../support/fake-gcs.js';
import { runOperator, settleOperator } from '../support/operator-harness.js';
import { hoursOf, localDay, writeRawPartition } from '../support/raw-partition.js';
import { tempDir } from '../support/tmp.js';
import { STAR_TABLES, type StarTableName } from '../../tasks/star/schema.js';
import { plainRows, readStar, type Row } from '../unit/star/read-star.js';
import { saveEnv } from '../support/env.js';

const DS = '2024-04-20';
const DS2 = '2024-04-21';
const BUCKET = 'windsock-lake';
const LAKE = `gs://${BUCKET}/lake`;
const PROJECT = 'windsock-test';
const DATASET = 'air_quality';
const home = tempDir('windsock-bq-');

let gcs: FakeGcs;
let bq: FakeBigQuery;
let lake: Lake;
const restoreEnv = saveEnv();

/** One station with two sensors, every hour of the local day; `v` gives the values, `name` the station's name. */
async function stageDay(ds: string, opts: { name?: string; v?: (sensor: number, i: number) => number; hours?: number } = {}): Promise<void> {
  const day = localDay(ds);
  const v = opts.v ?? ((sensor, i) => (sensor === 40185 ? 10 : 5) + i);
  const rows = (sensor: number) => hoursOf(day, (i) => v(sensor, i)).slice(0, opts.hours);
  await writeRawPartition(lake, {
    ds,
    locations: [{ id: 4018, name: opts.name ?? 'PARIS 1er Les Halles', sensors: [{ id: 40185, parameterId: 5 }, { id: 40182, parameterId: 2 }] }],
    pages: [
      { sensorId: 40185, rows: rows(40185) },
      { sensorId: 40182, rows: rows(40182) },
    ],
  });
  await runOperator(transformOperator, {}, { home, dsLocal: ds, dagId: 'openaq' });
}

/** What star.transform wrote for these days, table by table: the rows the warehouse must hold. */
async function starRows(days: string[]): Promise<Record<StarTableName, Row[]>> {
  const out = {} as Record<StarTableName, Row[]>;
  for (const def of STAR_TABLES) out[def.name] = (await Promise.all(days.map((d) => readStar(lake, def.name, d)))).flat();
  return out;
}

/** Rows as a user reads them with `dag warehouse query`, in the shape readStar gives (ints as numbers, ISO text). */
async function warehouseRows(sql: string): Promise<Row[]> {
  const wh = await openWarehouse();
  const batches: arrow.RecordBatch[] = [];
  for await (const b of wh.query(sql)) batches.push(b);
  return plainRows(new arrow.Table(batches));
}

const byKey = (keys: readonly string[]) => (a: Row, b: Row) => {
  for (const k of keys) {
    const x = a[k] as string | number;
    const y = b[k] as string | number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

/** Every star table in the warehouse holds exactly `expected`: same rows, same values, no row twice. */
async function expectWarehouseHolds(expected: Record<StarTableName, Row[]>): Promise<void> {
  for (const def of STAR_TABLES) {
    const sort = byKey(def.key);
    const got = await warehouseRows(`SELECT * FROM ${def.name}`);
    expect(got.sort(sort), def.name).toEqual([...expected[def.name]].sort(sort));
  }
}

beforeAll(async () => {
  gcs = await startFakeGcs({ buckets: [BUCKET] });
  bq = await startFakeBigQuery({
    readSource: (uri) => {
      const m = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri);
      return m ? gcs.buckets.get(m[1]!)?.get(m[2]!)?.data : undefined;
    },
  });
  Object.assign(process.env, {
    WINDSOCK_LAKE: LAKE,
    WINDSOCK_GCS_ENDPOINT: gcs.url,
    WINDSOCK_WAREHOUSE: `bigquery://${PROJECT}/${DATASET}`,
    WINDSOCK_BIGQUERY_ENDPOINT: bq.url,
  });
  delete process.env.BIGQUERY_EMULATOR_HOST;
  lake = openLake(undefined, home);
  await stageDay(DS);
});
afterAll(async () => {
  restoreEnv();
  await bq?.close();
  await gcs?.close();
});
beforeEach(() => {
  bq.calls.length = 0;
});

const starUri = (table: string) => `${LAKE}/star/${table}/ds=${DS}/part-0.parquet`;
const inserts = (suffix: string) => bq.calls.filter((c) => c.method === 'POST' && c.path.endsWith(suffix));

describe('warehouse.load_star into BigQuery', () => {
  it('creates the dataset and tables, merges the dimensions and replaces the fact partition', async () => {
    const run = await runOperator(loadStarOperator, {}, { home, dsLocal: DS, dagId: 'openaq' });

    // dataset: looked up, missing, created
    expect(bq.calls.some((c) => c.method === 'GET' && c.path === `/projects/${PROJECT}/datasets/${DATASET}` && c.status === 404)).toBe(true);
    expect(inserts(`/projects/${PROJECT}/datasets`).map((c) => c.body!.datasetReference.datasetId)).toEqual([DATASET]);

    // tables: schemas, and the fact partitioned by ds and clustered
    const created = Object.fromEntries(inserts('/tables').map((c) => [c.body!.tableReference.tableId, c.body!]));
    expect(Object.keys(created).sort()).toEqual(['daily_air_quality', 'dim_date', 'dim_location', 'dim_parameter', 'dim_sensor', 'fact_measurement']);
    const fact = created.fact_measurement!;
    expect(fact.timePartitioning).toEqual({ type: 'DAY', field: 'ds' });
    expect(fact.clustering).toEqual({ fields: ['parameter_id', 'location_id'] });
    expect(fact.schema.fields.map((f: { name: string; type: string }) => `${f.name}:${f.type}`)).toEqual([
      'ds:DATE',
      'sensor_id:INT64',
      'location_id:INT64',
      'parameter_id:INT64',
      'date_key:INT64',
      'hour_local:INT64',
      'period_start_utc:TIMESTAMP',
      'period_end_utc:TIMESTAMP',
      'value:FLOAT64',
      'is_valid:BOOL',
      'coverage_percent:FLOAT64',
    ]);
    expect(created.dim_location!.schema.fields.map((f: { name: string }) => f.name)).toEqual([
      'location_id', 'name', 'locality', 'timezone', 'country_code', 'country_name', 'provider', 'owner', 'latitude', 'longitude', 'is_mobile', 'is_monitor',
    ]);
    expect(created.dim_location!.schema.fields[0]).toEqual({ name: 'location_id', type: 'INT64', mode: 'REQUIRED' });
    expect(created.dim_location!.timePartitioning).toBeUndefined();

    // loads: dimensions into <dim>_staging, the fact into its partition, all Parquet from gs://, WRITE_TRUNCATE
    const loads = bq.insertedJobs('load').map((j) => j.configuration.load);
    expect(loads.map((l) => l.destinationTable.tableId)).toEqual(['dim_location_staging', 'dim_parameter_staging', 'dim_sensor_staging', 'dim_date_staging', 'fact_measurement$20240420']);
    for (const l of loads) {
      expect(l.sourceFormat).toBe('PARQUET');
      expect(l.writeDisposition).toBe('WRITE_TRUNCATE');
      expect(l.destinationTable).toMatchObject({ projectId: PROJECT, datasetId: DATASET });
    }
    expect(loads[4].sourceUris).toEqual([starUri('fact_measurement')]);
    expect(loads[0].sourceUris).toEqual([starUri('dim_location')]);
    // the files named in the load jobs are where the transform put them
    for (const l of loads) expect(gcs.names(BUCKET)).toContain(l.sourceUris[0].slice(`gs://${BUCKET}/`.length));

    // merges: one per dimension, after its staging load
    const merges = bq.insertedJobs('query').map((j) => j.configuration.query.query as string).filter((q) => q.startsWith('MERGE'));
    expect(merges).toHaveLength(4);
    expect(merges[0]).toContain(`MERGE \`${PROJECT}.${DATASET}.dim_location\` AS T`);
    expect(merges[0]).toContain(`USING \`${PROJECT}.${DATASET}.dim_location_staging\` AS S`);
    expect(merges[0]).toContain('ON T.`location_id` = S.`location_id`');
    expect(merges[0]).toMatch(/WHEN MATCHED THEN UPDATE SET `name` = S.`name`, `locality` = S.`locality`, .*`is_monitor` = S.`is_monitor`/);
    expect(merges[0]).not.toMatch(/UPDATE SET[^\n]*`location_id` =/);
    expect(merges[0]).toContain('WHEN NOT MATCHED THEN INSERT (`location_id`, `name`');
    expect(merges[0]).toContain('VALUES (S.`location_id`, S.`name`');
    expect(merges[2]).toContain('ON T.`sensor_id` = S.`sensor_id`');
    expect(merges[3]).toContain('ON T.`date_key` = S.`date_key`');
    const order = bq.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/jobs')).map((c) => (c.body!.configuration.load ? c.body!.configuration.load.destinationTable.tableId : /^\s*MERGE/.test(c.body!.configuration.query.query) ? 'merge' : 'daily'));
    // then the daily statistics of the day and the next: one DELETE, two INSERTs
    expect(order).toEqual(['dim_location_staging', 'merge', 'dim_parameter_staging', 'merge', 'dim_sensor_staging', 'merge', 'dim_date_staging', 'merge', 'fact_measurement$20240420', 'daily', 'daily', 'daily']);

    // the data: every table holds what the transform wrote, and the counts reported are those of the files
    const star = await starRows([DS]);
    expect(star.fact_measurement).toHaveLength(48); // 2 sensors x 24 hours
    await expectWarehouseHolds(star);
    expect(run.result).toEqual({
      ds: DS,
      warehouse: `bigquery://${PROJECT}/${DATASET}`,
      loaded: Object.fromEntries(STAR_TABLES.map((d) => [d.name, star[d.name].length])),
      replaced_fact_rows: null,
    });
    // each MERGE inserted its dimension's rows (numDmlAffectedRows as BigQuery reports it)
    const mergeJobs = bq.insertedJobs('query').filter((j) => /^MERGE/.test(j.configuration.query.query)).map((j) => bq.jobs.get(j.jobReference.jobId)!);
    expect(mergeJobs.map((j) => j.statistics.query.numDmlAffectedRows)).toEqual(STAR_TABLES.filter((d) => d.kind === 'dimension').map((d) => String(star[d.name].length)));
  });

  it('checks the star files in the gs:// lake against their manifests before any load job', async () => {
    const key = `star/fact_measurement/ds=${DS}/part-0.parquet`;
    const good = await lake.get(key);
    const flipped = Buffer.from(good);
    flipped[Math.floor(good.length / 2)]! ^= 0x10;
    await lake.put(key, flipped);
    try {
      const run = await settleOperator(loadStarOperator, {}, { home, dsLocal: DS, dagId: 'openaq', taskId: 'load_star' });
      expect(run.error?.message).toMatch(new RegExp(`^star file ${LAKE}/${key} does not match its manifest \\(sha256 [0-9a-f]{12}\\.\\.\\., the manifest says [0-9a-f]{12}\\.\\.\\.\\): the partition is damaged; run the transform for ${DS} again`));
      expect(bq.insertedJobs('load')).toHaveLength(0);
      expect(bq.insertedJobs('query')).toHaveLength(0);
    } finally {
      await lake.put(key, good);
    }
  });

  it('DuckDB loads from a gs:// lake the downloaded copies it checked, and refuses a damaged one', async () => {
    process.env.WINDSOCK_WAREHOUSE = `duckdb://${home}/from-gcs.duckdb`;
    const key = `star/dim_sensor/ds=${DS}/part-0.parquet`;
    const good = await lake.get(key);
    try {
      const ok = await runOperator<{ loaded: Record<string, number> }>(loadStarOperator, {}, { home, dsLocal: DS, dagId: 'openaq', taskId: 'load_star' });
      expect(ok.result.loaded).toMatchObject({ dim_sensor: 2, fact_measurement: 48 });
      await lake.put(key, Buffer.concat([good, Buffer.from([0])]));
      const run = await settleOperator(loadStarOperator, {}, { home, dsLocal: DS, dagId: 'openaq', taskId: 'load_star' });
      expect(run.error?.message).toMatch(new RegExp(`^star file ${LAKE}/${key} does not match its manifest \\(${good.length + 1} bytes, the manifest says ${good.length}\\)`));
    } finally {
      await lake.put(key, good);
      process.env.WINDSOCK_WAREHOUSE = `bigquery://${PROJECT}/${DATASET}`;
    }
  });

  it('a second day adds its partition, reuses the dataset and tables, and merges the dimensions without duplicating them', async () => {
    await stageDay(DS2, { v: (sensor, i) => (sensor === 40185 ? 200 : 100) + i });
    const run = await runOperator(loadStarOperator, {}, { home, dsLocal: DS2, dagId: 'openaq' });
    expect(inserts('/datasets')).toHaveLength(0);
    expect(inserts('/tables')).toHaveLength(0);
    const fact = bq.insertedJobs('load').map((j) => j.configuration.load).find((l) => l.destinationTable.tableId.startsWith('fact_'));
    expect(fact).toMatchObject({ destinationTable: { tableId: 'fact_measurement$20240421' }, writeDisposition: 'WRITE_TRUNCATE' });

    // facts of both days; dimensions once per key (the same station and sensors), two dates
    const both = await starRows([DS, DS2]);
    const dims = await starRows([DS2]);
    for (const def of STAR_TABLES) if (def.kind === 'dimension' && def.name !== 'dim_date') both[def.name] = dims[def.name];
    expect(both.fact_measurement).toHaveLength(96);
    expect(both.dim_date.map((r) => r.date).sort()).toEqual([DS, DS2]);
    await expectWarehouseHolds(both);
    expect(run.result).toMatchObject({ loaded: { fact_measurement: 48, dim_location: 1, dim_date: 1 } });
  });

  it('reloading a day replaces that partition only, and updates the dimension rows that changed', async () => {
    // the station was renamed, the values revised and half the hours are left
    await stageDay(DS, { name: 'Paris Les Halles', v: (sensor, i) => (sensor === 40185 ? 1000 : 500) + i, hours: 12 });
    await runOperator(loadStarOperator, {}, { home, dsLocal: DS, dagId: 'openaq' });
    const expected = await starRows([DS, DS2]);
    for (const def of STAR_TABLES) if (def.kind === 'dimension' && def.name !== 'dim_date') expected[def.name] = (await starRows([DS]))[def.name];
    expect(expected.fact_measurement).toHaveLength(24 + 48);
    expect(expected.dim_location.map((r) => r.name)).toEqual(['Paris Les Halles']);
    await expectWarehouseHolds(expected);
    const counts = await warehouseRows('SELECT ds, count(*) AS n, min(value) AS lo FROM fact_measurement GROUP BY ds ORDER BY ds');
    expect(counts).toEqual([
      { ds: DS, n: 24, lo: 500 },
      { ds: DS2, n: 48, lo: 100 },
    ]);
  });

  it('streams query results page by page as Arrow record batches', async () => {
    // 25,000 rows put straight into the fake's DuckDB: more than two pages of 10,000
    await bq.sql(`CREATE TABLE "${PROJECT}"."${DATASET}"."many" AS
      SELECT i, 40185 + i % 2 AS sensor_id, DATE '2024-04-20' AS ds,
             TIMESTAMPTZ '2024-04-20 01:00:00+00' + i * INTERVAL '1 millisecond' AS period_end_utc,
             CASE WHEN i % 3 = 0 THEN NULL ELSE i / 2 END::DOUBLE AS value, i % 2 = 1 AS is_valid, 's' || i AS name
      FROM range(25000) t(i)`);
    const wh = await openWarehouse();
    const batches: arrow.RecordBatch[] = [];
    for await (const b of wh.query('SELECT sensor_id, ds, period_end_utc, value, is_valid, name FROM many ORDER BY i')) batches.push(b);
    expect(batches.map((b) => b.numRows)).toEqual([10_000, 10_000, 5_000]);
    const t = new arrow.Table(batches);
    expect(t.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'sensor_id:Int64',
      'ds:Date32<DAY>',
      'period_end_utc:Timestamp<MICROSECOND, UTC>',
      'value:Float64',
      'is_valid:Bool',
      'name:Utf8',
    ]);
    const row = t.get(10_001)!.toJSON();
    expect(row).toEqual({ sensor_id: 40186n, ds: Date.UTC(2024, 3, 20), period_end_utc: Date.UTC(2024, 3, 20, 1) + 10_001, value: 5000.5, is_valid: true, name: 's10001' });
    expect(t.get(0)!.toJSON().value).toBeNull();
    const pages = bq.calls.filter((c) => c.path.includes('/queries/'));
    expect(pages.map((c) => c.query.pageToken ?? null)).toEqual([null, '10000', '20000']);

    // a failed query: the engine's message, first line (DuckDB's wording here; BigQuery's would differ)
    await expect(async () => {
      for await (const _ of wh.query('SELECT nope')) void _;
    }).rejects.toThrow(/Binder Error: Referenced column "nope"/);
  });

  it('refuses a file:// lake with a message saying what to set', async () => {
    process.env.WINDSOCK_LAKE = `file://${home}/lake`;
    try {
      const run = await settleOperator(loadStarOperator, {}, { home, dsLocal: DS, dagId: 'openaq' });
      expect(run.error?.message).toMatch(/BigQuery loads the star files from Cloud Storage.*set WINDSOCK_LAKE=gs:\/\/bucket\/prefix/);
      expect(bq.calls).toHaveLength(0);
    } finally {
      process.env.WINDSOCK_LAKE = LAKE;
    }
  });

  it('says what to set when there are no Google credentials, before any request', async () => {
    const env = { WINDSOCK_WAREHOUSE: `bigquery://${PROJECT}/${DATASET}`, HOME: home, CLOUDSDK_CONFIG: `${home}/no-gcloud` };
    await expect(openWarehouse(undefined, { env })).rejects.toThrow(/needs Google credentials.*GOOGLE_APPLICATION_CREDENTIALS.*gcloud auth application-default login/);
    await expect(openWarehouse(undefined, { env: { ...env, GOOGLE_APPLICATION_CREDENTIALS: `${home}/missing.json` } })).rejects.toThrow(/GOOGLE_APPLICATION_CREDENTIALS=.*missing.json does not exist/);
    expect(bq.calls).toHaveLength(0);
  });

  it('honours BIGQUERY_EMULATOR_HOST too', async () => {
    const wh = await openWarehouse(undefined, { env: { WINDSOCK_WAREHOUSE: `bigquery://${PROJECT}/${DATASET}`, BIGQUERY_EMULATOR_HOST: bq.url } });
    process.env.BIGQUERY_EMULATOR_HOST = bq.url;
    delete process.env.WINDSOCK_BIGQUERY_ENDPOINT;
    try {
      const rows: unknown[] = [];
      for await (const b of wh.query('SELECT 7 AS n')) rows.push(...b.toArray().map((r) => r.toJSON()));
      expect(rows).toEqual([{ n: 7n }]);
      expect(bq.calls.some((c) => c.path === `/projects/${PROJECT}/jobs`)).toBe(true);
    } finally {
      delete process.env.BIGQUERY_EMULATOR_HOST;
      process.env.WINDSOCK_BIGQUERY_ENDPOINT = bq.url;
    }
  });
});
