// The star schema: table and column names are a contract (the dashboard, the warehouse and the tests read them).
// One definition drives the Arrow tables written by star.transform, the DuckDB DDL and the BigQuery table schemas.
export type ColumnType = 'BIGINT' | 'INTEGER' | 'DOUBLE' | 'VARCHAR' | 'BOOLEAN' | 'DATE' | 'TIMESTAMP';

export interface ColumnDef {
  name: string;
  type: ColumnType;
  /** false: never null (keys and partition columns); Parquet REQUIRED, NOT NULL / REQUIRED in the warehouses. */
  nullable: boolean;
}

export type StarTableName = 'dim_location' | 'dim_parameter' | 'dim_sensor' | 'dim_date' | 'fact_measurement';
/** Tables the warehouse derives from the star (tasks/warehouse/daily-stats.ts), not loaded from star files. */
export type DerivedTableName = 'daily_air_quality';

export interface TableDef<N extends string = StarTableName> {
  name: N;
  kind: 'dimension' | 'fact';
  columns: readonly ColumnDef[];
  /** Natural key: dimensions are upserted on it; the fact is unique on it. */
  key: readonly string[];
}

const col = (name: string, type: ColumnType, nullable = true): ColumnDef => ({ name, type, nullable });

export const DIM_LOCATION: TableDef = {
  name: 'dim_location',
  kind: 'dimension',
  key: ['location_id'],
  columns: [
    col('location_id', 'BIGINT', false),
    col('name', 'VARCHAR'),
    col('locality', 'VARCHAR'),
    col('timezone', 'VARCHAR'),
    col('country_code', 'VARCHAR'),
    col('country_name', 'VARCHAR'),
    col('provider', 'VARCHAR'),
    col('owner', 'VARCHAR'),
    col('latitude', 'DOUBLE'),
    col('longitude', 'DOUBLE'),
    col('is_mobile', 'BOOLEAN'),
    col('is_monitor', 'BOOLEAN'),
  ],
};

export const DIM_PARAMETER: TableDef = {
  name: 'dim_parameter',
  kind: 'dimension',
  key: ['parameter_id'],
  columns: [col('parameter_id', 'INTEGER', false), col('name', 'VARCHAR'), col('units', 'VARCHAR'), col('display_name', 'VARCHAR')],
};

export const DIM_SENSOR: TableDef = {
  name: 'dim_sensor',
  kind: 'dimension',
  key: ['sensor_id'],
  columns: [col('sensor_id', 'BIGINT', false), col('location_id', 'BIGINT'), col('parameter_id', 'INTEGER'), col('name', 'VARCHAR')],
};

export const DIM_DATE: TableDef = {
  name: 'dim_date',
  kind: 'dimension',
  key: ['date_key'],
  columns: [
    col('date_key', 'INTEGER', false),
    col('date', 'DATE', false),
    col('year', 'INTEGER', false),
    col('quarter', 'INTEGER', false),
    col('month', 'INTEGER', false),
    col('day', 'INTEGER', false),
    col('day_of_week', 'INTEGER', false),
    col('is_weekend', 'BOOLEAN', false),
  ],
};

export const FACT_MEASUREMENT: TableDef = {
  name: 'fact_measurement',
  kind: 'fact',
  key: ['sensor_id', 'period_end_utc'],
  columns: [
    col('ds', 'DATE', false),
    col('sensor_id', 'BIGINT', false),
    col('location_id', 'BIGINT', false),
    col('parameter_id', 'INTEGER', false),
    col('date_key', 'INTEGER', false),
    col('hour_local', 'INTEGER', false),
    col('period_start_utc', 'TIMESTAMP', false),
    col('period_end_utc', 'TIMESTAMP', false),
    col('value', 'DOUBLE'),
    col('is_valid', 'BOOLEAN', false),
    col('coverage_percent', 'DOUBLE'),
  ],
};

/** Dimensions first: the order in which a warehouse loads them. */
export const STAR_TABLES: readonly TableDef[] = [DIM_LOCATION, DIM_PARAMETER, DIM_SENSOR, DIM_DATE, FACT_MEASUREMENT];

export const STAR_PREFIX = 'star';
/** Each table partition is one Parquet file. */
export const STAR_FILE = 'part-0.parquet';

/** "star/fact_measurement/ds=2024-04-20/" */
export function starPartitionPrefix(table: StarTableName, ds: string): string {
  return `${STAR_PREFIX}/${table}/ds=${ds}/`;
}

/** "star/fact_measurement/ds=2024-04-20/part-0.parquet" */
export function starFileKey(table: StarTableName, ds: string): string {
  return `${starPartitionPrefix(table, ds)}${STAR_FILE}`;
}
