// Listing output in Airflow's four formats: -o table|json|yaml|plain. Empty listings print "No data found".
import { UserError } from '../engine/types.js';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml', 'plain'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function outputFormat(raw: string | undefined): OutputFormat {
  const f = (raw ?? 'table') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(f)) throw new UserError(`-o ${raw} is not an output format: use one of ${OUTPUT_FORMATS.join(', ')}`);
  return f;
}

type Row = Record<string, unknown>;

export async function printRows(rows: Row[], format: OutputFormat, write: (s: string) => void = (s) => process.stdout.write(s)): Promise<void> {
  if (format === 'json') return write(JSON.stringify(rows, null, 2) + '\n');
  if (format === 'yaml') {
    const { stringify } = await import('yaml');
    return write(rows.length ? stringify(rows) : '[]\n');
  }
  if (!rows.length) return write('No data found\n');
  const keys = Object.keys(rows[0]);
  const cells = rows.map((r) => keys.map((k) => cell(r[k])));
  const widths = keys.map((k, i) => Math.max(k.length, ...cells.map((c) => c[i].length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i])).join(format === 'table' ? ' | ' : '  ').trimEnd();
  const out = [line(keys)];
  if (format === 'table') out.push(widths.map((w) => '='.repeat(w)).join('=+=').trimEnd());
  for (const c of cells) out.push(line(c));
  write(out.join('\n') + '\n');
}

function cell(v: unknown): string {
  if (v == null) return format0(v);
  if (Array.isArray(v)) return v.map(String).join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function format0(v: null | undefined): string {
  return v === null ? 'None' : '';
}
