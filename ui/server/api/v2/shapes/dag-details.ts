// A DAG as Airflow 3's DAGDetailsResponse: its DAGResponse from the `dag` row plus what only the parsed DAG knows
// (catchup, params, start/end dates, doc). Windsock has no DAG versions, favourites, assets or owner links.
import type { DagRow } from '../../../../../engine/state/rows.js';
import type { DagSpec } from '../../../../../engine/types.js';
import { apiDate } from './dates.js';
import { dagResponse } from './dag.js';
import { isoDuration } from './durations.js';

export function dagDetailsResponse(row: DagRow, spec: DagSpec, dagsFolder: string, activeRuns: number) {
  const base = dagResponse(row, dagsFolder);
  return {
    ...base,
    catchup: spec.catchup,
    dag_run_timeout: isoDuration(spec.dagrunTimeoutSec),
    asset_expression: null,
    doc_md: spec.docMd,
    start_date: apiDate(spec.startDate?.toISOString()),
    end_date: apiDate(spec.endDate?.toISOString()),
    is_paused_upon_creation: null,
    params: spec.params,
    render_template_as_native_obj: false,
    template_search_path: null,
    timezone: spec.timezone,
    last_parsed: base.last_parsed_time,
    default_args: null,
    owner_links: null,
    is_favorite: false,
    active_runs_count: activeRuns,
    latest_dag_version: null,
    concurrency: base.max_active_tasks,
  };
}
