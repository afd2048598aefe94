// Paging, ordering and search parameters shared by the list endpoints, after Airflow's
// api_fastapi/common/parameters.py: limit (default 50) / offset, `order_by` keys with `-` for descending (nulls
// last, the primary key appended as a tie-break, an unknown key 400), `*_pattern` as SQL LIKE with % and _.
import { z } from 'zod';
import { ApiError } from './errors.js';
import { qStrings } from './request.js';

export const pagingQuery = {
  limit: z.coerce.number().int().min(0).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};

export function orderByQuery(defaultKey: string) {
  return qStrings.default([defaultKey]);
}

export const MAX_ORDER_KEYS = 10;

/**
 * The SQL ORDER BY for the requested keys. `columns` maps each public key to its SQL expression; `primaryKey` is
 * appended in the first key's direction so that pages are stable.
 */
export function orderBySql(keys: string[], columns: Record<string, string>, primaryKey: string): string {
  if (keys.length > MAX_ORDER_KEYS) throw new ApiError(400, `Ordering with more than ${MAX_ORDER_KEYS} parameters is not allowed. Provided: ${keys.length}`);
  const terms: string[] = [];
  let firstDesc: boolean | null = null;
  for (const raw of keys.length ? keys : [primaryKey]) {
    const desc = raw.startsWith('-');
    const key = desc ? raw.slice(1) : raw;
    const col = Object.hasOwn(columns, key) ? columns[key] : undefined;
    if (!col) throw new ApiError(400, `Ordering with '${key}' is disallowed or the attribute does not exist on the model`);
    firstDesc ??= desc;
    // Nulls last either way: SQLite puts them first ascending, last descending. A descending key is left bare so
    // that an index on it (newest first, the common case) serves the ORDER BY without a sort.
    terms.push(desc ? `${col} DESC` : `${col} ASC NULLS LAST`);
  }
  terms.push(`${columns[primaryKey] ?? primaryKey} ${firstDesc ? 'DESC' : 'ASC'}`);
  return terms.join(', ');
}

/** A `*_pattern` search term, or null when it matches everything (absent or `~`). */
export function likePattern(raw: string | null | undefined): string | null {
  return raw == null || raw === '' || raw === '~' ? null : `%${raw}%`;
}
