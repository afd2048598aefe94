// The DuckDB statements of a star load, as text. Pure.
import type { ColumnDef, TableDef } from '../star/schema.js';

export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function createTableSql(def: TableDef<string>): string {
  const cols = def.columns.map((c) => `${ident(c.name)} ${c.type}${c.nullable ? '' : ' NOT NULL'}`);
  // Dimensions get their key as primary key (the upsert's conflict target). The fact's uniqueness on
  // (sensor_id, period_end_utc) is the transform's guarantee; an index on it would slow every load for nothing.
  if (def.kind === 'dimension') cols.push(`PRIMARY KEY (${def.key.map(ident).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${ident(def.name)} (${cols.join(', ')})`;
}

/** A column as read from our Parquet: timestamps come back WITH TIME ZONE (isAdjustedToUTC) and are stored as UTC. */
function fromParquet(c: ColumnDef): string {
  if (c.type === 'TIMESTAMP') return `timezone('UTC', ${ident(c.name)}) AS ${ident(c.name)}`;
  return `CAST(${ident(c.name)} AS ${c.type}) AS ${ident(c.name)}`;
}

/** Rows of a star file (hive_partitioning off: the ds= folder must not add a column). */
export function selectStarFile(def: TableDef, file: string): string {
  return `SELECT ${def.columns.map(fromParquet).join(', ')} FROM read_parquet(${literal(file)}, hive_partitioning = false)`;
}

/**
 * Insert or update the rows of the file on the dimension's key. Rows already there as they are in the file are left
 * out first (EXCEPT: whole rows, NULLs equal): most days bring the dimensions unchanged, and an upsert of an
 * identical row still costs DuckDB a write (its index entry, the row, the checkpoint after).
 */
export function upsertSql(def: TableDef, file: string): string {
  const cols = def.columns.map((c) => ident(c.name)).join(', ');
  const updates = def.columns.filter((c) => !def.key.includes(c.name)).map((c) => `${ident(c.name)} = excluded.${ident(c.name)}`);
  const changed = `SELECT * FROM (${selectStarFile(def, file)} EXCEPT SELECT ${cols} FROM ${ident(def.name)})`;
  return `INSERT INTO ${ident(def.name)} (${cols}) ${changed} ON CONFLICT (${def.key.map(ident).join(', ')}) DO UPDATE SET ${updates.join(', ')}`;
}

/** One row: the number of rows in each file, in order (DuckDB answers from the Parquet footers). */
export function countRowsSql(files: readonly string[]): string {
  return `SELECT ${files.map((f) => `(SELECT count(*) FROM read_parquet(${literal(f)}, hive_partitioning = false))`).join(', ')}`;
}

export function deletePartitionSql(def: TableDef, ds: string): string {
  return `DELETE FROM ${ident(def.name)} WHERE ds = DATE ${literal(ds)}`;
}

export function insertSql(def: TableDef, file: string): string {
  return `INSERT INTO ${ident(def.name)} (${def.columns.map((c) => ident(c.name)).join(', ')}) ${selectStarFile(def, file)}`;
}
