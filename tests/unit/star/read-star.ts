// Reading a star table partition back from the lake (parquet-wasm + apache-arrow), as plain rows: 64-bit integers as
// numbers, dates as "YYYY-MM-DD", timestamps as ISO strings.
import * as arrow from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import type { Lake } from '../../../tasks/lake/lake.js';
import { starFileKey, type StarTableName } from '../../../tasks/star/schema.js';

export type Row = Record<string, string | number | boolean | null>;

export async function readStarTable(lake: Lake, table: StarTableName, ds: string): Promise<{ schema: arrow.Schema; rows: Row[] }> {
  const t = arrow.tableFromIPC(readParquet(await lake.get(starFileKey(table, ds))).intoIPCStream());
  const rows = plainRows(t);
  return { schema: t.schema, rows };
}

export async function readStar(lake: Lake, table: StarTableName, ds: string): Promise<Row[]> {
  return (await readStarTable(lake, table, ds)).rows;
}

/** An Arrow table as plain rows, in the shape above (what the star files and the warehouse are compared in). */
export function plainRows(t: arrow.Table): Row[] {
  return t.toArray().map((r) => {
    const out: Row = {};
    for (const f of t.schema.fields) {
      const v = r[f.name] as unknown;
      if (v === null || v === undefined) out[f.name] = null;
      else if (arrow.DataType.isDate(f.type)) out[f.name] = new Date(Number(v)).toISOString().slice(0, 10);
      else if (arrow.DataType.isTimestamp(f.type)) out[f.name] = new Date(Number(v)).toISOString();
      else if (typeof v === 'bigint') out[f.name] = Number(v);
      else out[f.name] = v as string | number | boolean;
    }
    return out;
  });
}
