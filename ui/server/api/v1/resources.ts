// API v1's pool, variable and config routes, each a translation to its v2 twin. v1 creates with 200 where v2 answers
// 201, names a pool `name` in a PATCH body where v2 says `pool`, and keeps a variable's value a string.
import { renameKeys, type Json, type Translation } from './adapter.js';
import { collection, plugin, pool, variable } from './shapes.js';

const configText = (v2: Json) =>
  (v2.sections ?? []).map((s: Json) => `[${s.name}]\n${(s.options ?? []).map((o: Json) => `${o.key} = ${o.value}`).join('\n')}\n`).join('\n');

export const POOL_TRANSLATIONS: Translation[] = [
  { method: 'GET', path: '/pools', v2: '/pools', paged: true, out: collection('pools', pool) },
  { method: 'POST', path: '/pools', v2: '/pools', status: 200, out: pool },
  { method: 'GET', path: '/pools/:pool_name', v2: '/pools/:pool_name', out: pool },
  { method: 'PATCH', path: '/pools/:pool_name', v2: '/pools/:pool_name', body: (b) => renameKeys(b, { name: 'pool' }), out: pool },
  { method: 'DELETE', path: '/pools/:pool_name', v2: '/pools/:pool_name', status: 204 },
];

export const VARIABLE_TRANSLATIONS: Translation[] = [
  { method: 'GET', path: '/variables', v2: '/variables', paged: true, out: collection('variables', (v) => ({ key: v.key, description: v.description ?? null })) },
  { method: 'POST', path: '/variables', v2: '/variables', status: 200, out: variable },
  { method: 'GET', path: '/variables/:variable_key', v2: '/variables/:variable_key', out: variable },
  { method: 'PATCH', path: '/variables/:variable_key', v2: '/variables/:variable_key', out: variable },
  { method: 'DELETE', path: '/variables/:variable_key', v2: '/variables/:variable_key', status: 204 },
];

export const CONFIG_TRANSLATIONS: Translation[] = [
  { method: 'GET', path: '/config', v2: '/config', text: configText },
  { method: 'GET', path: '/config/section/:section/option/:option', v2: '/config/section/:section/option/:option', text: configText },
];

export const PLUGIN_TRANSLATIONS: Translation[] = [{ method: 'GET', path: '/plugins', v2: '/plugins', paged: true, out: collection('plugins', plugin) }];
