// `<field>_gte/_gt/_lte/_lt` filters on times (Airflow's RangeFilter), with time zones required.
import { z } from 'zod';
import type { Conditions } from '../../../../engine/state/page.js';

const OPS = { gte: '>=', gt: '>', lte: '<=', lt: '<' } as const;

const dateTime = z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString());

export function dateRangeQuery<F extends string>(fields: readonly F[]): Record<`${F}_${keyof typeof OPS}`, z.ZodOptional<typeof dateTime>> {
  return Object.fromEntries(fields.flatMap((f) => Object.keys(OPS).map((op) => [`${f}_${op}`, dateTime.optional()]))) as never;
}

export function numberRangeQuery<F extends string>(fields: readonly F[]): Record<`${F}_${keyof typeof OPS}`, z.ZodOptional<z.ZodCoercedNumber>> {
  return Object.fromEntries(fields.flatMap((f) => Object.keys(OPS).map((op) => [`${f}_${op}`, z.coerce.number().optional()]))) as never;
}

/** Add the range conditions present in `q` for each field, on the SQL expression `columns[field]`. */
export function applyRanges(where: Conditions, q: Record<string, unknown>, columns: Record<string, string>): void {
  for (const [field, col] of Object.entries(columns)) {
    for (const [op, sql] of Object.entries(OPS)) where.when(q[`${field}_${op}`], `${col} ${sql} ?`, (v) => v);
  }
}

/** The same filters in a JSON body (the `.../list` endpoints), where each may also be null. */
export function dateRangeBody<F extends string>(fields: readonly F[]): Record<`${F}_${keyof typeof OPS}`, z.ZodOptional<z.ZodNullable<typeof dateTime>>> {
  return Object.fromEntries(fields.flatMap((f) => Object.keys(OPS).map((op) => [`${f}_${op}`, dateTime.nullable().optional()]))) as never;
}

export function numberRangeBody<F extends string>(fields: readonly F[]): Record<`${F}_${keyof typeof OPS}`, z.ZodOptional<z.ZodNullable<z.ZodNumber>>> {
  return Object.fromEntries(fields.flatMap((f) => Object.keys(OPS).map((op) => [`${f}_${op}`, z.number().nullable().optional()]))) as never;
}

/** An ISO 8601 date-time with a zone, as a Date (bodies' single dates). */
export const zonedDate = z.iso.datetime({ offset: true }).transform((v) => new Date(v));
