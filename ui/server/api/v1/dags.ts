// API v1's DAG routes, each a translation to its v2 twin.
import type { Translation } from './adapter.js';
import { collection, dag, dagDetail, task } from './shapes.js';

/** v1 names a DAG's file by its file_token, which windsock makes from the DAG id (the DAG response's file_token). */
const dagOfToken = (token: string) => encodeURIComponent(Buffer.from(token, 'base64url').toString('utf8'));

const dags = collection('dags', dag);

export const DAG_TRANSLATIONS: Translation[] = [
  { method: 'GET', path: '/dags', v2: '/dags', paged: true, out: dags },
  // Bulk pause: Airflow 2's patch_dags, one update for every DAG the filters select.
  { method: 'PATCH', path: '/dags', v2: '/dags', paged: true, out: dags },
  { method: 'GET', path: '/dags/:dag_id', v2: '/dags/:dag_id', out: dag },
  { method: 'PATCH', path: '/dags/:dag_id', v2: '/dags/:dag_id', out: dag },
  { method: 'DELETE', path: '/dags/:dag_id', v2: '/dags/:dag_id', status: 204 },
  { method: 'GET', path: '/dags/:dag_id/details', v2: '/dags/:dag_id/details', out: dagDetail },
  { method: 'GET', path: '/dags/:dag_id/tasks', v2: '/dags/:dag_id/tasks', out: (v2) => ({ tasks: (v2.tasks ?? []).map(task), total_entries: v2.total_entries ?? (v2.tasks ?? []).length }) },
  { method: 'GET', path: '/dags/:dag_id/tasks/:task_id', v2: '/dags/:dag_id/tasks/:task_id', out: task },
  { method: 'GET', path: '/dagSources/:file_token', v2: (p) => `/dagSources/${dagOfToken(p.file_token)}`, out: (v2) => ({ content: v2.content }), text: (v2) => v2.content },
];
