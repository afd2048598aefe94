// API v1's import error, event log, DAG warning, DAG stats, provider and version routes, each a translation to its
// v2 twin.
import type { Json, Translation } from './adapter.js';
import { collection, eventLog, importError } from './shapes.js';

/** Airflow 2's DagWarningSchema: no display name. */
const dagWarning = (w: Json) => ({ dag_id: w.dag_id, warning_type: w.warning_type, message: w.message, timestamp: w.timestamp });
const dagStats = (d: Json) => ({ dag_id: d.dag_id, stats: (d.stats ?? []).map((s: Json) => ({ state: s.state, count: s.count })) });
const provider = (p: Json) => ({ package_name: p.package_name, description: p.description, version: p.version });

export const MONITORING_TRANSLATIONS: Translation[] = [
  { method: 'GET', path: '/importErrors', v2: '/importErrors', paged: true, out: collection('import_errors', importError) },
  { method: 'GET', path: '/importErrors/:import_error_id{[0-9]+}', v2: '/importErrors/:import_error_id', out: importError },
  { method: 'GET', path: '/eventLogs', v2: '/eventLogs', paged: true, out: collection('event_logs', eventLog) },
  { method: 'GET', path: '/eventLogs/:event_log_id{[0-9]+}', v2: '/eventLogs/:event_log_id', out: eventLog },
  // Airflow 2 named the list `dag_warnings` (api_connexion/schemas/dag_warning_schema.py; the spec says import_errors).
  { method: 'GET', path: '/dagWarnings', v2: '/dagWarnings', paged: true, out: collection('dag_warnings', dagWarning) },
  { method: 'GET', path: '/dagStats', v2: '/dagStats', commaLists: ['dag_ids'], out: collection('dags', dagStats) },
  { method: 'GET', path: '/providers', v2: '/providers', out: collection('providers', provider) },
  { method: 'GET', path: '/version', v2: '/version', out: (v) => ({ version: v.version, git_version: v.git_version ?? null }) },
];
