// What the web app is built from: the engine's store and the settings of the install it serves.
import type { Store } from '../../engine/state/store.js';
import type { WebSettings } from './settings.js';
import type { ChangeFeed } from './change-feed.js';
import type { AnalyticsSource } from './analytics/source.js';
import type { DashboardSettings } from './analytics/dashboard-page.js';

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
  /** The warehouse, read-only, for /api/analytics/*; without it those routes are not served. */
  analytics?: AnalyticsSource;
  /** The dashboard's settings (default: from WINDSOCK_DASHBOARD_PUBLIC and WINDSOCK_MAP_TILES). */
  dashboard?: DashboardSettings;
}
