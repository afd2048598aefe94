// API v1's import error, event log and version routes, each a translation to its v2 twin.
import type { Translation } from './adapter.js';
import { collection, eventLog, importError } from './shapes.js';

export const MONITORING_TRANSLATIONS: Translation[] = [
  { method: 'GET', path: '/importErrors', v2: '/importErrors', paged: true, out: collection('import_errors', importError) },
  { method: 'GET', path: '/importErrors/:import_error_id{[0-9]+}', v2: '/importErrors/:import_error_id', out: importError },
  { method: 'GET', path: '/eventLogs', v2: '/eventLogs', paged: true, out: collection('event_logs', eventLog) },
  { method: 'GET', path: '/eventLogs/:event_log_id{[0-9]+}', v2: '/eventLogs/:event_log_id', out: eventLog },
  { method: 'GET', path: '/version', v2: '/version', out: (v) => ({ version: v.version, git_version: v.git_version ?? null }) },
];
