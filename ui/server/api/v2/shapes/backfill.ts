// A `backfill` row as Airflow 3's BackfillResponse.
import type { BackfillRow } from '../../../../../engine/state/rows.js';
import { apiDate } from './dates.js';

export function backfillResponse(b: BackfillRow) {
  return {
    id: b.id,
    dag_id: b.dag_id,
    dag_display_name: b.dag_id,
    from_date: apiDate(b.from_date)!,
    to_date: apiDate(b.to_date)!,
    dag_run_conf: JSON.parse(b.dag_run_conf) as Record<string, unknown>,
    is_paused: b.is_paused === 1,
    reprocess_behavior: b.reprocess_behavior,
    max_active_runs: b.max_active_runs,
    created_at: apiDate(b.created_at)!,
    completed_at: apiDate(b.completed_at),
    updated_at: apiDate(b.updated_at)!,
  };
}
