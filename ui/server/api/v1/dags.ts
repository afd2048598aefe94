// API v1's DAG routes, each a translation to its v2 twin.
import type { Translation } from './adapter.js';
import { collection, dag } from './shapes.js';

const dags = collection('dags', dag);

export const DAG_TRANSLATIONS: Translation[] = [
  { method: 'GET', path: '/dags', v2: '/dags', paged: true, out: dags },
  // Bulk pause: Airflow 2's patch_dags, one update for every DAG the filters select.
  { method: 'PATCH', path: '/dags', v2: '/dags', paged: true, out: dags },
  { method: 'GET', path: '/dags/:dag_id', v2: '/dags/:dag_id', out: dag },
  { method: 'PATCH', path: '/dags/:dag_id', v2: '/dags/:dag_id', out: dag },
  { method: 'DELETE', path: '/dags/:dag_id', v2: '/dags/:dag_id', status: 204 },
];
