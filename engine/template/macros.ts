// Airflow's `macros` module (airflow/macros/__init__.py): ds_add and ds_format, with their doctests' behaviour.
import { pyArgs } from './py-args.js';
import { fieldsToUtcMillis, strftime, strptime, utcMillisToFields } from './strftime.js';

/** macros.ds_add('2015-01-01', 5) -> '2015-01-06' */
export function dsAdd(...args: unknown[]): string {
  const { ds, days } = pyArgs('ds_add', args, ['ds', 'days'], {});
  const start = strptime(String(ds), '%Y-%m-%d');
  const n = Number(days);
  if (!Number.isFinite(n)) throw new TypeError(`ds_add() days must be a number, got ${String(days)}`);
  return strftime(utcMillisToFields(fieldsToUtcMillis(start) + n * 86_400_000), '%Y-%m-%d');
}

/** macros.ds_format('2015-01-01', '%Y-%m-%d', '%m-%d-%y') -> '01-01-15' */
export function dsFormat(...args: unknown[]): string {
  const { ds, input_format, output_format } = pyArgs('ds_format', args, ['ds', 'input_format', 'output_format'], {});
  return strftime(strptime(String(ds), String(input_format)), String(output_format));
}

export const macros = Object.freeze({ ds_add: dsAdd, ds_format: dsFormat });
