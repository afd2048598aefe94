// What the web app is built from: the engine's store and the settings of the install it serves.
import type { Store } from '../../engine/state/store.js';
import type { DagSpec } from '../../engine/types.js';
import type { WebSettings } from './settings.js';
import type { ChangeFeed } from './change-feed.js';

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
  /** A DAG's definition (tasks, schedule, params) from the DAGs folder, for what needs more than the `dag` table:
   * triggering a run, clearing or marking with upstream / downstream. Without it those answer 503. */
  dagSpec?: (dagId: string) => Promise<DagSpec | undefined>;
}
