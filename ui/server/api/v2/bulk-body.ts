// BulkBody<T>: `{actions: [create | update | delete]}`, strict, as the spec's BulkBody_PoolBody_ /
// BulkBody_VariableBody_.
import { z } from 'zod';

export function bulkBody<E extends z.ZodType>(entity: E) {
  const notThere = z.enum(['fail', 'skip']).default('fail');
  const action = z.discriminatedUnion('action', [
    z.strictObject({ action: z.literal('create'), entities: z.array(entity), action_on_existence: z.enum(['fail', 'skip', 'overwrite']).default('fail') }),
    z.strictObject({ action: z.literal('update'), entities: z.array(entity), update_mask: z.array(z.string()).nullish(), action_on_non_existence: notThere }),
    z.strictObject({ action: z.literal('delete'), entities: z.array(z.union([z.string(), entity])), action_on_non_existence: notThere }),
  ]);
  return z.strictObject({ actions: z.array(action) });
}
