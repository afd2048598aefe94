// GET /api/v2/monitor/health (public): the metadatabase answers, and the scheduler is healthy while its SchedulerJob
// heartbeat is recent (Airflow's api_fastapi/core_api/routes/public/monitor.py). Windsock has no triggerer.
import { Hono } from 'hono';
import { isJobAlive } from '../../../../engine/state/jobs.js';
import { JOB_HEARTBEAT_THRESHOLD_MS } from '../../../../engine/run/prepare-run.js';
import { logger } from '../../../../engine/log.js';
import type { Store } from '../../../../engine/state/store.js';
import type { AppDeps } from '../../deps.js';
import { apiDate } from './shapes/dates.js';

export interface HealthInfo {
  metadatabase: { status: 'healthy' | 'unhealthy' };
  scheduler: { status: 'healthy' | 'unhealthy' | null; latest_scheduler_heartbeat: string | null };
  triggerer: { status: null; latest_triggerer_heartbeat: null };
  dag_processor: null;
}

export function healthInfo(store: Store): HealthInfo {
  const info: HealthInfo = {
    metadatabase: { status: 'healthy' },
    scheduler: { status: null, latest_scheduler_heartbeat: null },
    triggerer: { status: null, latest_triggerer_heartbeat: null },
    dag_processor: null,
  };
  try {
    const job = store.jobs.latest('SchedulerJob');
    info.scheduler = {
      status: job && isJobAlive(job, JOB_HEARTBEAT_THRESHOLD_MS) ? 'healthy' : 'unhealthy',
      latest_scheduler_heartbeat: apiDate(job?.latest_heartbeat),
    };
  } catch (err) {
    logger.error({ err }, 'health check: the state database does not answer');
    info.metadatabase.status = 'unhealthy';
  }
  return info;
}

export function monitorRoutes({ store }: AppDeps): Hono {
  return new Hono().get('/monitor/health', (c) => c.json(healthInfo(store)));
}
