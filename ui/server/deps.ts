// What the web app is built from: the engine's store and the settings of the install it serves.
import type { Store } from '../../engine/state/store.js';
import type { WebSettings } from './settings.js';
import type { ChangeFeed } from './change-feed.js';
import type { DagSpec } from '../../engine/types.js';

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
  /** The parsed DAG files (tasks, groups, doc_md, params) for the admin pages; without it they show what the state database knows. */
  dagSpecs?: () => ReadonlyMap<string, DagSpec>;
}
