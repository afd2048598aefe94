// What the web app is built from: the engine's store and the settings of the install it serves.
import type { Store } from '../../engine/state/store.js';
import type { WebSettings } from './settings.js';
import type { ChangeFeed } from './change-feed.js';
import type { DagSpec } from '../../engine/types.js';

/**
 * The DAGs as parsed from the DAGs folder (Airflow's DagBag, which its API server reads DAG details and tasks from).
 * The CLI supplies it, because parsing needs the operator plugins; without one, those endpoints answer 404.
 */
export interface DagBag {
  get(dagId: string): Promise<DagSpec | undefined>;
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
  /** The parsed DAGs, for DAG details and tasks. */
  dagBag?: DagBag;
}
