// The BigQuery warehouse through the real @google-cloud/bigquery client against a fake BigQuery on 127.0.0.1, with
// the star files written by the real star.transform into a gs:// lake (the real @google-cloud/storage client against
// a fake GCS).
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

const DS = '2024-04-20';
const BUCKET = 'windsock-lake';
const LAKE = `gs://${BUCKET}/lake`;
const PROJECT = 'windsock-test';
const DATASET = 'air_quality';
const home = tempDir('windsock-bq-');

let gcs: FakeGcs;
let bq: FakeBigQuery;
let lake: Lake;
const saved = { ...process.env };

beforeAll(async () => {
  gcs = await startFakeGcs({ buckets: [BUCKET] });
  bq = await startFakeBigQuery({ loadRows: () => 24 });
  Object.assign(process.env, {
    WINDSOCK_LAKE: LAKE,
    WINDSOCK_GCS_ENDPOINT: gcs.url,
    WINDSOCK_WAREHOUSE: `bigquery://${PROJECT}/${DATASET}`,
    WINDSOCK_BIGQUERY_ENDPOINT: bq.url,
  });
  delete process.env.BIGQUERY_EMULATOR_HOST;
  lake = openLake(undefined, home);
  const day = localDay(DS);
  await writeRawPartition(lake, {
    ds: DS,
    locations: [{ id: 4018, name: 'PARIS 1er Les Halles', sensors: [{ id: 40185, parameterId: 5 }, { id: 40182, parameterId: 2 }] }],
    pages: [
      { sensorId: 40185, rows: hoursOf(day, (i) => 10 + i) },
      { sensorId: 40182, rows: hoursOf(day, (i) => 5 + i) },
    ],
  });
  await runOperator(transformOperator, {}, { home, dsLocal: DS, dagId: 'openaq' });
});
afterAll(async () => {
  process.env = saved;
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
    expect(Object.keys(created).sort()).toEqual(['dim_date', 'dim_location', 'dim_parameter', 'dim_sensor', 'fact_measurement']);
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
    const merges = bq.insertedJobs('query').map((j) => j.configuration.query.query as string);
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
    const order = bq.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/jobs')).map((c) => (c.body!.configuration.load ? c.body!.configuration.load.destinationTable.tableId : 'merge'));
    expect(order).toEqual(['dim_location_staging', 'merge', 'dim_parameter_staging', 'merge', 'dim_sensor_staging', 'merge', 'dim_date_staging', 'merge', 'fact_measurement$20240420']);

    expect(run.result).toMatchObject({ ds: DS, warehouse: `bigquery://${PROJECT}/${DATASET}`, loaded: { fact_measurement: 24 } });
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

  it('a second load reuses the dataset and tables and replaces the same partition', async () => {
    await runOperator(loadStarOperator, {}, { home, dsLocal: DS, dagId: 'openaq' });
    expect(inserts('/datasets')).toHaveLength(0);
    expect(inserts('/tables')).toHaveLength(0);
    const fact = bq.insertedJobs('load').map((j) => j.configuration.load).find((l) => l.destinationTable.tableId.startsWith('fact_'));
    expect(fact).toMatchObject({ destinationTable: { tableId: 'fact_measurement$20240420' }, writeDisposition: 'WRITE_TRUNCATE' });
  });

  it('streams query results page by page as Arrow record batches', async () => {
    bq.options.queryResult = (sql) =>
      sql.includes('fact_measurement')
        ? {
            fields: [
              { name: 'sensor_id', type: 'INTEGER' },
              { name: 'ds', type: 'DATE' },
              { name: 'period_end_utc', type: 'TIMESTAMP' },
              { name: 'value', type: 'FLOAT' },
              { name: 'is_valid', type: 'BOOLEAN' },
              { name: 'name', type: 'STRING' },
            ],
            rows: Array.from({ length: 25_000 }, (_, i) => [String(40185 + (i % 2)), '2024-04-20', String((Date.UTC(2024, 3, 20, 1) + i) * 1000), i % 3 ? String(i / 2) : null, i % 2 ? 'true' : 'false', `s${i}`]),
          }
        : new Error(`Unrecognized name: nope at [1:8]`);
    const wh = await openWarehouse();
    const batches: arrow.RecordBatch[] = [];
    for await (const b of wh.query('SELECT sensor_id, ds, period_end_utc, value, is_valid, name FROM fact_measurement')) batches.push(b);
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

    await expect(async () => {
      for await (const _ of wh.query('SELECT nope')) void _;
    }).rejects.toThrow(/Unrecognized name: nope/);
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
      bq.options.queryResult = () => ({ fields: [{ name: 'n', type: 'INTEGER' }], rows: [['7']] });
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
