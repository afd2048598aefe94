// A pool with its usage as Airflow 3's PoolResponse.
import type { PoolUsage } from '../../../../../engine/state/pools.js';

export function poolResponse(p: PoolUsage) {
  return {
    name: p.pool,
    slots: p.slots,
    description: p.description,
    include_deferred: p.include_deferred === 1,
    occupied_slots: p.occupied_slots,
    running_slots: p.running_slots,
    queued_slots: p.queued_slots,
    scheduled_slots: p.scheduled_slots,
    open_slots: p.open_slots,
    deferred_slots: p.deferred_slots,
    team_name: null,
  };
}
