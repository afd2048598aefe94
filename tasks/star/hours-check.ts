// The exact check of one /v3/sensors/{id}/hours page in JS, for the pages the SQL read flagged (a null or missing
// field, a value of another JSON type) and for any page DuckDB could not read: it names the file and the field of
// the first problem ("results[3].period.datetimeTo.utc is missing"). Fields the transform does not read are not
// checked.
import { FieldReader, type Obj } from './json-fields.js';
import { kindOf, RawSyntaxError, SchemaDriftError } from './raw-errors.js';

/** Parses a page's bytes; a syntax error names the file and the byte offset. */
export function parsePage(bytes: Buffer, file: string): unknown {
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const at = /position (\d+)/.exec(msg);
    throw new RawSyntaxError(file, at ? Number(at[1]) : text.length, msg.replace(/ in JSON at position \d+.*$/s, ''));
  }
}

/** Throws SchemaDriftError at the first field the transform reads that is missing or of another type. */
export function checkHoursPage(page: unknown, file: string): number {
  const f = new FieldReader(file);
  const results = f.results(page);
  results.forEach((r, i) => checkRow(f, r, `results[${i}]`));
  return results.length;
}

function checkRow(f: FieldReader, r: Obj, at: string): void {
  const drift = (path: string, problem: string): never => {
    throw new SchemaDriftError(f.file, `${at}${path}`, problem);
  };
  if (!('value' in r)) drift('.value', 'is missing');
  if (r.value !== null && typeof r.value !== 'number') drift('.value', `is ${kindOf(r.value)} (expected a number or null)`);
  const param = f.obj(r, 'parameter', at);
  if (!('id' in param)) drift('.parameter.id', 'is missing');
  if (!Number.isInteger(param.id)) drift('.parameter.id', `is ${typeof param.id === 'number' ? param.id : kindOf(param.id)} (expected an integer)`);
  const period = f.obj(r, 'period', at);
  for (const end of ['datetimeFrom', 'datetimeTo']) f.str(f.obj(period, end, `${at}.period`), 'utc', `${at}.period.${end}`);
  if (!('coverage' in r)) drift('.coverage', 'is missing');
  const cov = r.coverage;
  if (cov === null) return;
  if (typeof cov !== 'object' || Array.isArray(cov)) drift('.coverage', `is ${kindOf(cov)} (expected an object or null)`);
  const pc = (cov as Obj).percentCoverage;
  if (!('percentCoverage' in (cov as Obj))) drift('.coverage.percentCoverage', 'is missing');
  if (pc !== null && typeof pc !== 'number') drift('.coverage.percentCoverage', `is ${kindOf(pc)} (expected a number)`);
}
