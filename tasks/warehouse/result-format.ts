// Query results as text: an aligned table with a header, a JSON array of objects, or CSV with a header (RFC 4180).
// Values are shown as a person reads them: dates as YYYY-MM-DD, timestamps in UTC, 64-bit integers exactly.
import * as arrow from 'apache-arrow';

export type OutputFormat = 'table' | 'json' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv'];

type Cell = string | number | boolean | null;

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function utcText(ms: number): string {
  const d = new Date(ms);
  const base = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  return d.getUTCMilliseconds() ? `${base}.${String(d.getUTCMilliseconds()).padStart(3, '0')}` : base;
}

/** One value for display: null, or a string / number / boolean that JSON can carry exactly. */
export function cellValue(type: arrow.DataType, v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (arrow.DataType.isDate(type)) {
    const ms = v instanceof Date ? v.getTime() : Number(v);
    return new Date(ms).toISOString().slice(0, 10);
  }
  if (arrow.DataType.isTimestamp(type)) return utcText(v instanceof Date ? v.getTime() : Number(v));
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  return String(v);
}

/** The rows of a batch as cells, column by column in order. */
export function batchRows(batch: arrow.RecordBatch): Cell[][] {
  const cols = batch.schema.fields.map((f, i) => ({ type: f.type, vec: batch.getChildAt(i)! }));
  const rows: Cell[][] = [];
  for (let r = 0; r < batch.numRows; r++) rows.push(cols.map((c) => cellValue(c.type, c.vec.get(r))));
  return rows;
}

const text = (c: Cell) => (c === null ? 'NULL' : String(c));

/** An aligned table: numbers to the right, a header and a rule, then "(N rows)". */
export function formatTable(names: readonly string[], numeric: readonly boolean[], rows: readonly Cell[][]): string {
  const width = names.map((n, i) => Math.max(n.length, ...rows.map((r) => text(r[i]!).length)));
  const line = (cells: string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(width[i]!) : c.padEnd(width[i]!))).join('  ').trimEnd();
  const out = [line([...names]), width.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows) out.push(line(r.map(text)));
  out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return out.join('\n') + '\n';
}

export function csvField(c: Cell): string {
  if (c === null) return '';
  const s = String(c);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: readonly Cell[]) => cells.map(csvField).join(',') + '\r\n';

export function jsonObject(names: readonly string[], row: readonly Cell[]): string {
  return JSON.stringify(Object.fromEntries(names.map((n, i) => [n, row[i]])));
}

export function isNumericType(t: arrow.DataType): boolean {
  return arrow.DataType.isInt(t) || arrow.DataType.isFloat(t) || arrow.DataType.isDecimal(t);
}

/** Writes the result of `batches` in `format` through `write` (JSON and CSV stream; the table waits for every row). */
export async function writeResult(batches: AsyncIterable<arrow.RecordBatch>, format: OutputFormat, write: (s: string) => void): Promise<number> {
  let names: string[] | undefined;
  let numeric: boolean[] = [];
  let opened = false;
  const all: Cell[][] = [];
  let count = 0;
  for await (const batch of batches) {
    if (!names) {
      names = batch.schema.fields.map((f) => f.name);
      numeric = batch.schema.fields.map((f) => isNumericType(f.type));
      if (format === 'csv') write(csvLine(names));
      if (format === 'json') {
        write('[');
        opened = true;
      }
    }
    for (const row of batchRows(batch)) {
      if (format === 'table') all.push(row);
      else if (format === 'csv') write(csvLine(row));
      else write(`${count ? ',' : ''}\n  ${jsonObject(names, row)}`);
      count++;
    }
  }
  names ??= [];
  if (format === 'table') write(formatTable(names, numeric, all));
  // An empty result may still come as one empty batch (after '[' was written): either way, "[]".
  if (format === 'json') write(count ? '\n]\n' : opened ? ']\n' : '[]\n');
  return count;
}
