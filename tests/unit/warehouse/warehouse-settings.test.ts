// WINDSOCK_WAREHOUSE parsing and the statements each backend sends (pure).
import { describe, expect, it } from 'vitest';
import { DIM_LOCATION, DIM_SENSOR, FACT_MEASUREMENT } from '../../../tasks/star/schema.js';
import { mergeSql, partitionDecorator, tableOptions } from '../../../tasks/warehouse/bigquery-sql.js';
import { createTableSql, upsertSql } from '../../../tasks/warehouse/duckdb-sql.js';
import { resolveWarehouse, warehouseUri } from '../../../tasks/warehouse/open-warehouse.js';
import { csvLine, formatTable } from '../../../tasks/warehouse/result-format.js';
import { parseWarehouseUri } from '../../../tasks/warehouse/warehouse-uri.js';

describe('WINDSOCK_WAREHOUSE', () => {
  it('defaults to a DuckDB file in WINDSOCK_HOME', () => {
    expect(warehouseUri({ WINDSOCK_HOME: '/data/ws' })).toBe('duckdb:///data/ws/warehouse.duckdb');
    expect(resolveWarehouse(undefined, { env: { WINDSOCK_HOME: '/data/ws' } })).toMatchObject({ kind: 'duckdb', path: '/data/ws/warehouse.duckdb' });
  });

  it('parses duckdb and bigquery URIs', () => {
    expect(parseWarehouseUri('duckdb:///tmp/w.duckdb')).toMatchObject({ kind: 'duckdb', path: '/tmp/w.duckdb' });
    expect(parseWarehouseUri('duckdb://rel/w.duckdb', 'WINDSOCK_WAREHOUSE', '/home/me')).toMatchObject({ path: '/home/me/rel/w.duckdb' });
    expect(parseWarehouseUri('bigquery://air-quality-421919/air_quality?location=EU')).toMatchObject({ kind: 'bigquery', project: 'air-quality-421919', dataset: 'air_quality', location: 'EU' });
  });

  it('says what is wrong with a bad URI, naming the setting', () => {
    expect(() => parseWarehouseUri('postgres://x/y')).toThrow(`WINDSOCK_WAREHOUSE='postgres://x/y' has an unknown scheme "postgres": use duckdb:///path/to/warehouse.duckdb or bigquery://project/dataset`);
    expect(() => parseWarehouseUri('warehouse.duckdb')).toThrow('has no scheme');
    expect(() => parseWarehouseUri('bigquery://my-project')).toThrow('must name a project and a dataset: use bigquery://project/dataset');
    expect(() => parseWarehouseUri('bigquery://my-project/bad-dataset')).toThrow('"bad-dataset" is not a BigQuery dataset id');
    expect(() => parseWarehouseUri('bigquery://my-project/ds?region=EU')).toThrow('unknown option "region"');
    expect(() => resolveWarehouse('mysql://x', { env: {} })).toThrow(expect.objectContaining({ name: 'UserError' }));
  });

  it('does not ask for credentials when an emulator endpoint is set', () => {
    expect(resolveWarehouse('bigquery://my-project/ds', { env: { WINDSOCK_BIGQUERY_ENDPOINT: 'http://127.0.0.1:9050' } })).toMatchObject({ apiEndpoint: 'http://127.0.0.1:9050' });
    expect(resolveWarehouse('bigquery://my-project/ds', { env: { BIGQUERY_EMULATOR_HOST: 'http://127.0.0.1:9050' } })).toMatchObject({ emulator: true });
  });
});

describe('DuckDB statements', () => {
  it('creates dimensions with their primary key and NOT NULL keys', () => {
    expect(createTableSql(DIM_SENSOR)).toBe('CREATE TABLE IF NOT EXISTS "dim_sensor" ("sensor_id" BIGINT NOT NULL, "location_id" BIGINT, "parameter_id" INTEGER, "name" VARCHAR, PRIMARY KEY ("sensor_id"))');
    expect(createTableSql(FACT_MEASUREMENT)).toContain('"period_end_utc" TIMESTAMP NOT NULL, "value" DOUBLE,');
  });

  it('upserts a dimension from its Parquet file on its key, without hive partition columns', () => {
    const sql = upsertSql(DIM_SENSOR, "/lake/it's/part-0.parquet");
    expect(sql).toContain(`FROM read_parquet('/lake/it''s/part-0.parquet', hive_partitioning = false)`);
    expect(sql).toContain('ON CONFLICT ("sensor_id") DO UPDATE SET "location_id" = excluded."location_id", "parameter_id" = excluded."parameter_id", "name" = excluded."name"');
  });
});

describe('BigQuery requests', () => {
  it('partitions the fact by day on ds and clusters it; dimensions are plain tables', () => {
    expect(tableOptions(FACT_MEASUREMENT)).toMatchObject({ timePartitioning: { type: 'DAY', field: 'ds' }, clustering: { fields: ['parameter_id', 'location_id'] } });
    expect(tableOptions(DIM_LOCATION).timePartitioning).toBeUndefined();
    expect(partitionDecorator('fact_measurement', '2024-04-20')).toBe('fact_measurement$20240420');
  });

  it('merges a dimension from its staging table on the key', () => {
    expect(mergeSql(DIM_SENSOR, 'p', 'd')).toBe(
      [
        'MERGE `p.d.dim_sensor` AS T',
        'USING `p.d.dim_sensor_staging` AS S',
        'ON T.`sensor_id` = S.`sensor_id`',
        'WHEN MATCHED THEN UPDATE SET `location_id` = S.`location_id`, `parameter_id` = S.`parameter_id`, `name` = S.`name`',
        'WHEN NOT MATCHED THEN INSERT (`sensor_id`, `location_id`, `parameter_id`, `name`) VALUES (S.`sensor_id`, S.`location_id`, S.`parameter_id`, S.`name`)',
      ].join('\n'),
    );
  });
});

describe('result formats', () => {
  it('aligns a table, numbers to the right', () => {
    expect(formatTable(['name', 'n'], [false, true], [['a', 1], ['bbb', 123], [null, null]])).toBe(['name     n', '----  ----', 'a        1', 'bbb    123', 'NULL  NULL', '(3 rows)', ''].join('\n'));
  });

  it('quotes CSV fields that need it', () => {
    expect(csvLine(['plain', 'a,b', 'say "hi"', null, 3, true])).toBe('plain,"a,b","say ""hi""",,3,true\r\n');
  });
});
