// The operations of the two OpenAPI specs (openapi-v2.yaml: Airflow 3's public API; openapi-v1.yaml: Airflow 2's)
// that windsock does not serve, each with why. They answer the router's plain 404 like any unknown path. Everything
// else in the specs is served; tests/integration/api-coverage.test.ts holds the two to each other.

export interface NotServed {
  api: 'v1' | 'v2';
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The spec's path template, below /api/v1 or /api/v2. */
  path: string;
  reason: string;
}

const ASSETS = 'Assets (datasets in Airflow 2): windsock schedules DAGs on time only and has no asset-triggered DAGs or asset events';
const CONNECTIONS = 'Connections: windsock keeps no connections table; tasks take their credentials from the environment (e.g. OPENAQ_API_KEY)';
const HITL = "Human-in-the-loop (Airflow 3.1's HITL operators): windsock has no such operators";
const VERSIONS = 'DAG versions: windsock keeps no history of DAG versions (runs carry dag_versions: [])';
const MAPPING = 'Dynamic task mapping: windsock does not map tasks (every task instance has map_index -1)';
const LOGIN = "The redirect to the auth manager's login page: log in with POST /auth/token (API) or the /login page (UI); log out with POST /auth/logout";
const FAVORITES = "Per-user favourite DAGs (the UI's stars): not kept";
const PARSE = 'Reparse a DAG file on demand: the scheduler re-reads the DAGs folder by itself every few seconds';
const EXTERNAL_LOG = 'External log URLs: attempt logs are local files, served by .../logs/{try_number}';
const USERS = "Airflow 2's FAB user and role management: manage users with `dag users create|list|delete|reset-password`; the roles are fixed (viewer, user, op, admin)";

const v2 = (method: NotServed['method'], path: string, reason: string): NotServed => ({ api: 'v2', method, path, reason });
const v1 = (method: NotServed['method'], path: string, reason: string): NotServed => ({ api: 'v1', method, path, reason });
const TI = '/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances';

export const NOT_SERVED: NotServed[] = [
  v2('GET', '/assets', ASSETS),
  v2('GET', '/assets/aliases', ASSETS),
  v2('GET', '/assets/aliases/{asset_alias_id}', ASSETS),
  v2('GET', '/assets/events', ASSETS),
  v2('POST', '/assets/events', ASSETS),
  v2('GET', '/assets/{asset_id}', ASSETS),
  v2('POST', '/assets/{asset_id}/materialize', ASSETS),
  v2('GET', '/assets/{asset_id}/queuedEvents', ASSETS),
  v2('DELETE', '/assets/{asset_id}/queuedEvents', ASSETS),
  v2('GET', '/dags/{dag_id}/assets/queuedEvents', ASSETS),
  v2('DELETE', '/dags/{dag_id}/assets/queuedEvents', ASSETS),
  v2('GET', '/dags/{dag_id}/assets/{asset_id}/queuedEvents', ASSETS),
  v2('DELETE', '/dags/{dag_id}/assets/{asset_id}/queuedEvents', ASSETS),
  v2('GET', '/dags/{dag_id}/dagRuns/{dag_run_id}/upstreamAssetEvents', ASSETS),
  v1('GET', '/datasets', ASSETS),
  v1('GET', '/datasets/{uri}', ASSETS),
  v1('GET', '/datasets/events', ASSETS),
  v1('POST', '/datasets/events', ASSETS),
  v1('GET', '/datasets/queuedEvent/{uri}', ASSETS),
  v1('DELETE', '/datasets/queuedEvent/{uri}', ASSETS),
  v1('GET', '/dags/{dag_id}/datasets/queuedEvent', ASSETS),
  v1('DELETE', '/dags/{dag_id}/datasets/queuedEvent', ASSETS),
  v1('GET', '/dags/{dag_id}/datasets/queuedEvent/{uri}', ASSETS),
  v1('DELETE', '/dags/{dag_id}/datasets/queuedEvent/{uri}', ASSETS),
  v1('GET', '/dags/{dag_id}/dagRuns/{dag_run_id}/upstreamDatasetEvents', ASSETS),

  v2('GET', '/connections', CONNECTIONS),
  v2('POST', '/connections', CONNECTIONS),
  v2('PATCH', '/connections', CONNECTIONS),
  v2('POST', '/connections/defaults', CONNECTIONS),
  v2('POST', '/connections/test', CONNECTIONS),
  v2('GET', '/connections/{connection_id}', CONNECTIONS),
  v2('PATCH', '/connections/{connection_id}', CONNECTIONS),
  v2('DELETE', '/connections/{connection_id}', CONNECTIONS),
  v1('GET', '/connections', CONNECTIONS),
  v1('POST', '/connections', CONNECTIONS),
  v1('POST', '/connections/test', CONNECTIONS),
  v1('GET', '/connections/{connection_id}', CONNECTIONS),
  v1('PATCH', '/connections/{connection_id}', CONNECTIONS),
  v1('DELETE', '/connections/{connection_id}', CONNECTIONS),

  v2('GET', '/dags/{dag_id}/dagRuns/{dag_run_id}/hitlDetails', HITL),
  v2('GET', `${TI}/{task_id}/{map_index}/hitlDetails`, HITL),
  v2('PATCH', `${TI}/{task_id}/{map_index}/hitlDetails`, HITL),
  v2('GET', `${TI}/{task_id}/{map_index}/hitlDetails/tries/{try_number}`, HITL),

  v2('GET', '/dags/{dag_id}/dagVersions', VERSIONS),
  v2('GET', '/dags/{dag_id}/dagVersions/{version_number}', VERSIONS),

  v2('GET', `${TI}/{task_id}/listMapped`, MAPPING),
  v1('GET', `${TI}/{task_id}/listMapped`, MAPPING),

  v2('GET', '/auth/login', LOGIN),
  v2('GET', '/auth/logout', LOGIN),
  v2('POST', '/dags/{dag_id}/favorite', FAVORITES),
  v2('POST', '/dags/{dag_id}/unfavorite', FAVORITES),
  v2('PUT', '/parseDagFile/{file_token}', PARSE),
  v1('PUT', '/parseDagFile/{file_token}', PARSE),
  v2('GET', `${TI}/{task_id}/externalLogUrl/{try_number}`, EXTERNAL_LOG),


  v1('GET', '/roles', USERS),
  v1('POST', '/roles', USERS),
  v1('GET', '/roles/{role_name}', USERS),
  v1('PATCH', '/roles/{role_name}', USERS),
  v1('DELETE', '/roles/{role_name}', USERS),
  v1('GET', '/permissions', USERS),
  v1('GET', '/users', USERS),
  v1('POST', '/users', USERS),
  v1('GET', '/users/{username}', USERS),
  v1('PATCH', '/users/{username}', USERS),
  v1('DELETE', '/users/{username}', USERS),
];

/** The table as text, one line per operation, grouped by reason (for the closing note and test messages). */
export function notServedText(rows: NotServed[] = NOT_SERVED): string {
  const byReason = new Map<string, NotServed[]>();
  for (const r of rows) byReason.set(r.reason, [...(byReason.get(r.reason) ?? []), r]);
  return [...byReason].map(([reason, ops]) => `${reason}\n${ops.map((o) => `  ${o.api} ${o.method.padEnd(6)} ${o.path}`).join('\n')}`).join('\n');
}
