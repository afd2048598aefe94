// /api/v2/variables: list, get, create, patch, delete and bulk through the engine's variable service (the one
// `dag variables` uses). Values of secret-looking keys are answered `***`, as Airflow does.
import { Hono } from 'hono';
import { z } from 'zod';
import { Conditions, page } from '../../../../engine/state/page.js';
import type { VariableRow } from '../../../../engine/state/rows.js';
import { deleteVariable, getVariable, setVariable, updateVariable, type VariableFields } from '../../../../engine/service/variables.js';
import { runBulk } from '../../../../engine/service/bulk.js';
import type { AuthEnv } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';
import { ApiError } from '../../errors.js';
import { likePattern, orderByQuery, orderBySql, pagingQuery } from '../../paging.js';
import { jsonBody, query } from '../../request.js';
import { updateMask } from './update-mask.js';
import { service } from '../../service-errors.js';
import { bulkBody } from './bulk-body.js';
import { nameField } from './name-field.js';
import { variableResponse } from './shapes/variable.js';

const ORDER_COLUMNS: Record<string, string> = { id: 'id', key: 'key', _val: 'val', description: 'description', is_encrypted: 'is_encrypted', team_name: 'NULL' };

const ListQuery = z.object({ ...pagingQuery, variable_key_pattern: z.string().optional(), order_by: orderByQuery('id') });

// JsonValue: anything JSON can hold, null included; a missing value is `missing`.
const VariableBody = z.strictObject({
  key: nameField('variable key').pipe(z.string().max(250)),
  value: z.json(),
  description: z.string().nullish(),
  team_name: z.string().max(50).nullish(),
});
type VariableBody = z.infer<typeof VariableBody>;
const PATCHABLE = ['key', 'value', 'description'];

const fields = (b: VariableBody): VariableFields => ({ key: b.key, value: b.value, description: b.description });

export function variableRoutes({ store }: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const owner = (c: { get(k: 'caller'): { username: string } }) => c.get('caller').username;

  app.get('/variables', (c) => {
    const q = query(c, ListQuery);
    const where = new Conditions().when(likePattern(q.variable_key_pattern), 'key LIKE ?', (v) => v);
    const { rows, total } = page<VariableRow>(store.db, { from: 'FROM variable', where, orderBy: orderBySql(q.order_by, ORDER_COLUMNS, 'id'), limit: q.limit, offset: q.offset });
    return c.json({ variables: rows.map(variableResponse), total_entries: total });
  });

  app.get('/variables/:variable_key', (c) => c.json(variableResponse(service(() => getVariable(store, c.req.param('variable_key'))))));

  app.post('/variables', async (c) => {
    const body = await jsonBody(c, VariableBody);
    return c.json(variableResponse(service(() => setVariable(store, fields(body), { owner: owner(c), mustBeNew: true }))), 201);
  });

  app.patch('/variables/:variable_key', async (c) => {
    const key = c.req.param('variable_key');
    const body = await jsonBody(c, VariableBody);
    const mask = updateMask(c, PATCHABLE);
    // Airflow: without a mask the body's key must be the path's (a rename needs update_mask=key).
    if (!mask?.includes('key') && body.key !== key) throw new ApiError(400, `Invalid body, key from request body doesn't match uri parameter`);
    const want = (f: string) => !mask || mask.includes(f);
    const change = {
      rename: want('key') && body.key !== key ? body.key : undefined,
      value: want('value') ? body.value : undefined,
      description: want('description') ? (body.description ?? null) : undefined,
    };
    return c.json(variableResponse(service(() => updateVariable(store, key, change, owner(c)))));
  });

  app.delete('/variables/:variable_key', (c) => {
    service(() => deleteVariable(store, c.req.param('variable_key'), owner(c)));
    return c.body(null, 204);
  });

  app.patch('/variables', async (c) => {
    const body = await jsonBody(c, bulkBody(VariableBody));
    const who = owner(c);
    const result = runBulk<VariableBody>(store, body.actions, {
      what: 'variables with these keys',
      key: (v) => v.key,
      exists: (key) => store.variables.get(key) !== undefined,
      create: (v) => setVariable(store, fields(v), { owner: who }),
      update: (v, mask) => {
        const m = mask ?? ['value', 'description'];
        updateVariable(store, v.key, { value: m.includes('value') ? v.value : undefined, description: m.includes('description') ? (v.description ?? null) : undefined }, who);
      },
      delete: (key) => deleteVariable(store, key, who),
    });
    return c.json(result);
  });

  return app;
}
