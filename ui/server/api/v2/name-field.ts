// A request field that is a name (pool, variable key): checked by the one name validator, so a bad one is a 422
// that says what is wrong with it, at the field.
import { z } from 'zod';
import { checkName, type NameKind } from '../../../../engine/dag/names.js';

export function nameField(kind: NameKind) {
  return z.string().superRefine((v, ctx) => {
    const problem = checkName(kind, v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}
