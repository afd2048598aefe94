// `*_pattern` search parameters as Airflow 3.2 reads them (api_fastapi/common/parameters.py, _SearchParam): SQL LIKE
// with `%` and `_`, matched anywhere in the value, several alternatives joined with `|`; `~` (or nothing) matches all.
import type { Conditions } from '../../engine/state/page.js';

/** The LIKE terms of a pattern, or null when it matches everything. */
export function likeTerms(raw: string | null | undefined): string[] | null {
  if (raw == null) return null;
  const parts = raw.split('|').map((p) => p.trim()).filter(Boolean);
  if (!parts.length || parts.includes('~')) return null;
  return parts.map((p) => `%${p}%`);
}

/** Add `column LIKE ...` (any of the alternatives) to `where` when the pattern restricts anything. */
export function wherePattern(where: Conditions, column: string, raw: string | null | undefined): Conditions {
  const terms = likeTerms(raw);
  if (!terms) return where;
  return where.add(terms.map(() => `${column} LIKE ?`).join(' OR '), ...terms);
}
