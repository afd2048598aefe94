// PATCH's `update_mask` query (repeated, or comma-separated): the fields to change, each one the resource allows;
// absent means every field the body gives.
import type { Context } from 'hono';
import { z } from 'zod';
import { ApiError } from '../../errors.js';
import { qStrings, query } from '../../request.js';

const MaskQuery = z.object({ update_mask: qStrings.optional() });

export function updateMask(c: Context, patchable: readonly string[]): string[] | undefined {
  const mask = query(c, MaskQuery).update_mask?.flatMap((m) => m.split(',')).map((m) => m.trim());
  const unknown = mask?.filter((m) => !patchable.includes(m));
  if (unknown?.length) throw new ApiError(400, `Invalid update mask field(s): ${unknown.join(', ')}: use ${patchable.join(', ')}`);
  return mask;
}
