// Which role a request needs, after Airflow 3's simple auth manager (auth/managers/simple/simple_auth_manager.py):
// reading needs viewer; changing DAGs, runs, task instances, logs and XComs needs user; pools, config and
// backfills op; variables and connections op even to read; users admin. Anything else changed: admin.
import type { Role } from '../../../engine/state/users.js';

type Kind = 'dag' | 'op-write' | 'op-all' | 'admin';

const KIND_BY_SEGMENT: Record<string, Kind> = {
  dags: 'dag',
  dagStats: 'dag',
  dagSources: 'dag',
  dagTags: 'dag',
  dagWarnings: 'dag',
  importErrors: 'dag',
  eventLogs: 'dag',
  clearTaskInstances: 'dag',
  parseDagFile: 'dag',
  pools: 'op-write',
  config: 'op-all',
  backfills: 'op-write',
  assets: 'op-write',
  jobs: 'op-write',
  plugins: 'op-write',
  providers: 'op-write',
  variables: 'op-all',
  connections: 'op-all',
  users: 'admin',
};

/** Reads sent as POST because their filters do not fit a query string (`.../dagRuns/list`, `.../taskInstances/list`). */
function isRead(method: string, segments: string[]): boolean {
  return method === 'GET' || method === 'HEAD' || (method === 'POST' && segments[segments.length - 1] === 'list');
}

/** `path` is below the API prefix, e.g. `dags/x/dagRuns`. */
export function requiredRole(method: string, path: string): Role {
  const segments = path.split('/').filter(Boolean);
  const kind = KIND_BY_SEGMENT[segments[0] ?? ''] ?? 'admin';
  const read = isRead(method.toUpperCase(), segments);
  switch (kind) {
    case 'dag':
      return read ? 'viewer' : 'user';
    case 'op-write':
      return read ? 'viewer' : 'op';
    case 'op-all':
      return 'op';
    case 'admin':
      return read && segments[0] !== 'users' ? 'viewer' : 'admin';
  }
}
