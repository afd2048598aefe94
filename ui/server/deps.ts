// What the web app is built from: the engine's store and the settings of the install it serves.
import type { Store } from '../../engine/state/store.js';
import type { DagSpec } from '../../engine/types.js';
import type { WebSettings } from './settings.js';
import type { ChangeFeed } from './change-feed.js';
import type { ConfigOption } from '../../engine/service/config.js';
import type { AnalyticsSource } from './analytics/source.js';
import type { DashboardSettings } from './analytics/dashboard-page.js';

/**
 * The DAGs as parsed from the DAGs folder (Airflow's DagBag, which its API server reads DAG details and tasks from).
 * The CLI supplies it, because parsing needs the operator plugins; without one, those endpoints answer 404.
 */
export interface DagBag {
  get(dagId: string): Promise<DagSpec | undefined>;
  all(): Promise<DagSpec[]>;
}

export interface AppDeps {
  store: Store;
  web: WebSettings;
  /** WINDSOCK_HOME: where the token secret lives. */
  home: string;
  /** The DAGs folder, to show file names relative to it as Airflow shows them relative to the bundle. */
  dagsFolder: string;
  /** windsock's version, for GET /api/v2/version. */
  version: string;
  /** Change events for /api/windsock/events; without it the route is not served. */
  feed?: ChangeFeed;
  /** The DAGs folder parsed (Airflow's DagBag): DAG details, tasks, backfills; without it those answer 404 / refuse. */
  dagBag?: DagBag;
  /** Operator families, for GET /api/v2/providers; without it the list is empty. */
  providers?: () => Promise<ProviderInfo[]>;
  /** Settings of the install beyond the engine's and the web server's (the pipeline's), for GET /api/v2/config. */
  config?: ConfigOption[];
  /** The warehouse, read-only, for /api/analytics/*; without it those routes are not served. */
  analytics?: AnalyticsSource;
  /** The dashboard's settings (default: from WINDSOCK_DASHBOARD_PUBLIC and WINDSOCK_MAP_TILES). */
  dashboard?: DashboardSettings;
}

/** Airflow 3's ProviderResponse. */
export interface ProviderInfo {
  package_name: string;
  description: string;
  version: string;
  documentation_url: string | null;
}
