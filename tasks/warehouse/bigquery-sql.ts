// What the BigQuery backend sends: table resources (schema, partitioning, clustering), load job configurations and
// MERGE statements, as plain data. Pure.
import type { ColumnType, TableDef } from '../star/schema.js';

export interface BqField {
  name: string;
  type: 'INT64' | 'FLOAT64' | 'STRING' | 'BOOL' | 'DATE' | 'TIMESTAMP';
  mode: 'REQUIRED' | 'NULLABLE';
}

export function bqType(t: ColumnType): BqField['type'] {
  switch (t) {
    case 'BIGINT':
    case 'INTEGER':
      return 'INT64';
    case 'DOUBLE':
      return 'FLOAT64';
    case 'VARCHAR':
      return 'STRING';
    case 'BOOLEAN':
      return 'BOOL';
    case 'DATE':
      return 'DATE';
    case 'TIMESTAMP':
      return 'TIMESTAMP';
  }
}

export function bqSchema(def: TableDef<string>): { fields: BqField[] } {
  return { fields: def.columns.map((c) => ({ name: c.name, type: bqType(c.type), mode: c.nullable ? 'NULLABLE' : 'REQUIRED' })) };
}

/** The options of tables.insert: the fact is partitioned by ds (one partition per day) and clustered for the dashboard. */
export function tableOptions(def: TableDef<string>): Record<string, unknown> {
  const base: Record<string, unknown> = { schema: bqSchema(def), description: `windsock star schema: ${def.name}` };
  if (def.kind === 'fact') {
    base.timePartitioning = { type: 'DAY', field: 'ds' };
    base.clustering = { fields: ['parameter_id', 'location_id'] };
  }
  return base;
}

export const stagingName = (def: TableDef) => `${def.name}_staging`;

/** "fact_measurement$20240420": the partition decorator of one day. */
export function partitionDecorator(table: string, ds: string): string {
  return `${table}$${ds.replace(/-/g, '')}`;
}

export interface TableRef {
  projectId: string;
  datasetId: string;
  tableId: string;
}

/** A load job's configuration: Parquet from Cloud Storage, replacing the destination (a table or one partition). */
export function loadJobConfig(def: TableDef, sourceUri: string, destination: TableRef): Record<string, unknown> {
  return {
    load: {
      sourceUris: [sourceUri],
      sourceFormat: 'PARQUET',
      destinationTable: destination,
      writeDisposition: 'WRITE_TRUNCATE',
      createDisposition: 'CREATE_IF_NEEDED',
      schema: bqSchema(def),
    },
  };
}

const q = (name: string) => `\`${name.replace(/`/g, '')}\``;

/** Upserts the staging table's rows into the dimension on its key. */
export function mergeSql(def: TableDef, project: string, dataset: string): string {
  const target = q(`${project}.${dataset}.${def.name}`);
  const staging = q(`${project}.${dataset}.${stagingName(def)}`);
  const on = def.key.map((k) => `T.${q(k)} = S.${q(k)}`).join(' AND ');
  const set = def.columns.filter((c) => !def.key.includes(c.name)).map((c) => `${q(c.name)} = S.${q(c.name)}`);
  const cols = def.columns.map((c) => q(c.name));
  return [
    `MERGE ${target} AS T`,
    `USING ${staging} AS S`,
    `ON ${on}`,
    `WHEN MATCHED THEN UPDATE SET ${set.join(', ')}`,
    `WHEN NOT MATCHED THEN INSERT (${cols.join(', ')}) VALUES (${def.columns.map((c) => `S.${q(c.name)}`).join(', ')})`,
  ].join('\n');
}
